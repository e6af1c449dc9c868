/* gobridge.__import__ and gobridge.import_from as built-in functions.

   The import statement calls builtins.__import__ (IMPORT_NAME) and reads
   the imported names itself (IMPORT_FROM). gobridge runs both through its
   Go import engine, whose host -- the Python side of each question the
   engine asks -- is gobridge._importer. These built-ins are what a program
   calls: they answer an import that the engine's decision cache already
   knows in C, and otherwise call the host's entry point, which returns the
   imported object or a failure to raise. Raising it here, rather than in
   Python, leaves the traceback as C's import leaves it: the importing
   line, then the failing module's own code. */
#ifndef GB_IMPORT_H
#define GB_IMPORT_H

/* gb_import_install makes the built-ins from gobridge._importer, which must
   be in sys.modules, and binds them there as __import__ and import_from in
   place of the host's entry points, which it keeps as _import_name and
   _import_from. Their __self__ is the gobridge module, as builtins is
   builtins.__import__'s. Frames of files whose name starts with
   hidden_prefix are kept out of tracebacks. It returns 0 on success, -1
   with a Python error printed. */
int gb_import_install(const char *hidden_prefix);

#endif
