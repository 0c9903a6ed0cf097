"""The data and its parsing: records, the YAML reader, governance.yml, the plan and its fold,
findings, errors."""
