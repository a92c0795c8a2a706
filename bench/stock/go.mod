// Module stock builds the unmodified cayley v0.7.7 command, the baseline
// rustbelt's benchmarks measure against. It holds no code of its own.
module github.com/rustbelt/rustbelt/bench/stock

go 1.26.8

require github.com/cayleygraph/cayley v0.7.7
