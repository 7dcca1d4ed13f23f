"""The routing engine: filter, score and assign queued tasks to specialists, and explain why.

`model` holds the plain data, `timeline` projects when a specialist can finish, `engine` decides
(pure, no Flask or database), `explain` words the decisions, `store` reads and writes a round and
`service.route_round` runs one.
"""
