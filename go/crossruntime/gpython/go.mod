module github.com/gobridge/gobridge/crossruntime/gpython

go 1.23

require (
	github.com/go-python/gpython v0.2.0
	github.com/gobridge/gobridge v0.0.0
)

replace github.com/gobridge/gobridge => ../..
