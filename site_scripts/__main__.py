"""`python -m site_scripts` is the same CLI as `fwbench`."""

import sys

from site_scripts.cli import main

sys.exit(main())
