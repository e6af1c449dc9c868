/* The statuses of the C ABI.

   A gb_ret's status, and a frame's: GB_OK, GB_OK_OBJECTS and GB_ERROR are
   go/internal/bridge's Status; GB_FORKED and GB_NOT_LOADED are the
   loader's own, for a call that cannot reach the library (see
   gb_loader.h). bridge/native_build.py reads this file for Python's view
   of them: keep each a #define of an integer. */
#ifndef GB_STATUS_H
#define GB_STATUS_H

#define GB_OK 0
#define GB_OK_OBJECTS 1
#define GB_ERROR 2
#define GB_FORKED 3
#define GB_NOT_LOADED 4

#endif
