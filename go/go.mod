module github.com/gobridge/gobridge

go 1.23
