"""Performance benchmarks on a national-scale synthetic PostgreSQL database (docs/performance.md).

`bench.load` builds the data set; `bench.dashboard` times the sponsor dashboard against it. Neither
is part of the test suite.
"""
