"""The executed side-by-side examples of the Ease of use page: discovery, execution in a fresh child per
example, the cells, the code counts and the error checklist."""
