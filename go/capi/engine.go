package capi

// Every library that speaks the C ABI carries the import engine's CPython
// host, so that gobridge.__import__ works whichever library a process loads.
import _ "github.com/gobridge/gobridge/internal/pyhost"
