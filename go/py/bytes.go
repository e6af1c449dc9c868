package py

import "github.com/gobridge/gobridge/internal/convert"

// Bytes is a read-only view of a Python bytes-like object (bytes,
// bytearray, memoryview, array...) for the duration of one call, passed
// without copying. A function taking Bytes must not modify it and must not
// keep it, or anything sliced from it, after returning: the memory belongs
// to Python. Take a []byte parameter instead to get a private copy.
type Bytes = convert.BorrowedBytes
