"""The self-assessment engine: instruments as data, campaigns, responses, scoring and reports."""
