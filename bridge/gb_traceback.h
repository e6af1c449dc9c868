/* gobridge's frames kept out of tracebacks.

   A Go call, and an import through gobridge.__import__, should read like a
   call of a built-in function: the traceback of its error holds the
   caller's frames and the frames of the code it ran (a module's own code, a
   callback), as remove_importlib_frames in Python/import.c leaves them, and
   none of gobridge's. */
#ifndef GB_TRACEBACK_H
#define GB_TRACEBACK_H

/* gb_hide_files keeps the frames of files whose name starts with prefix
   (gobridge's package directory) out of tracebacks, with those of the code
   gobridge compiles ("<gobridge>"). It returns 0, or -1 with MemoryError
   set. */
int gb_hide_files(const char *prefix);

/* gb_hide_frames removes gobridge's frames from the traceback of the error
   being raised, if there is one. */
void gb_hide_frames(void);

#endif
