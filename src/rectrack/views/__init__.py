"""The presentation side of each command: its table columns, record labels, field lists
and messages. Commands hand the services' rows to these functions, which print them through
`rectrack.render`."""
