"""Home page, navigation, language choice, error pages and the platform's own commands."""
