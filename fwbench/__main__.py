"""`python -m fwbench` is the same CLI as the `fwbench` command."""

import sys

from fwbench.cli import main

sys.exit(main())
