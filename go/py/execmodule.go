package py

import (
	"fmt"

	"github.com/gobridge/gobridge/registry"
)

// ExecModule runs a registry entry made by Register on a module the caller
// created, as a loader's exec_module does. Unlike Exec it lets the import
// engine put the module in its table before the module's code runs, which
// circular imports need. A panic in the module's code becomes a *Panic.
func ExecModule(e registry.Entry, m *Module) error {
	def, ok := e.Factory.(*ModuleDef)
	if !ok {
		return fmt.Errorf("gobridge: module %q was not registered with py.Register", e.Name)
	}
	if def.Doc != "" {
		m.Set("__doc__", def.Doc)
	}
	return runExec(def.Exec, m)
}
