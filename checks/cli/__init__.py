"""The bebcheck command line: one module per subcommand, one table of commands."""
