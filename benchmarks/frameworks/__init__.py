"""Everything about running a model in one framework that is not the model itself.

Modes, precision, layouts, tasks, devices and thread pools are handled once per framework
here, so that a workload's framework module only builds its model and maps its weights.
Only framework child processes import these modules.
"""
