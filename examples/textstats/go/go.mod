module example.com/textstats

go 1.23

require github.com/gobridge/gobridge v0.0.0
