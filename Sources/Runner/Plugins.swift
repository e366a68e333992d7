import Framework

/// Every plugin's components, registered in one place: adding a plugin or a head is one new
/// file in its plugin folder plus one line here.
func makeRegistry() -> Registry {
    let registry = Registry()
    return registry
}
