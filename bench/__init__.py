"""Performance benchmarks on a national-scale synthetic PostgreSQL database (docs/performance.md).

`bench.load` builds the data set; `bench.dashboard` times the sponsor dashboard against it;
`bench.inbox` adds issue 18's notifications, messages and open change requests and times the inbox,
the thread and the reminder run. None is part of the test suite.
"""
