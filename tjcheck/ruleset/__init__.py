"""Ruleset data files (tianjin.yaml); loaded by tjcheck.engine.load_ruleset."""
