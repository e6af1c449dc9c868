// Package py is gobridge's authoring API: what a Go package imports to become
// a Python module.
//
// A module is registered from init and built by its Exec function on every
// import and reload:
//
//	func init() {
//		py.Register("strings", py.ModuleDef{
//			Doc: "Package strings implements simple functions to manipulate UTF-8 encoded strings.",
//			Exec: func(m *py.Module) error {
//				m.Func(strings.ToUpper, py.Params("s"))
//				m.Const("MAX_LEN", 1<<20)
//				return nil
//			},
//		})
//	}
//
// After installation, Python imports it as gomod.strings, and the function is
// gomod.strings.to_upper.
package py
