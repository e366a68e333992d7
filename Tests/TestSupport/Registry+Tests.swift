import Framework

extension Registry {
    /// A registry with the simulator as the dataset and every built-in backbone: what the
    /// experiment tests share before adding their own task, heads and acquisitions.
    public static func simulatedForTests() -> Registry {
        let r = Registry()
        r.register(dataset: SimulatedSource.self, plugin: "Framework")
        for f in BackboneFamily.builtIn { r.register(backbone: f) }
        return r
    }
}
