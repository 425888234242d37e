"""What every page shares: the live panel, the Play loop, the stats line, the schema and the link."""
