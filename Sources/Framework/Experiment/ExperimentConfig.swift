/// The top level of an experiment file. Each section is kept as a `ConfigNode` and decoded
/// by the component its `kind:` names, so plugins own their options.
public struct ExperimentConfig: Decodable {
    /// Used for the run folder (`runs/<name>`) and reports.
    public var name: String
    /// What this experiment is for, shown in reports.
    public var description: String?
    /// Seeds everything: data splits, initialisation, augmentation, dropout, shuffling.
    public var seed: UInt64
    /// The task plugin that runs the experiment (`kind: finetune`, …).
    public var task: ConfigNode
    /// Where the galaxies come from (`kind: simulated-galaxies`, `kind: catalog`).
    public var data: ConfigNode
    public var backbone: ConfigNode?
    public var head: ConfigNode?
    public var training: ConfigNode?
    public var augmentation: ConfigNode?
    public var acquisition: ConfigNode?
    /// A grid of `key.path: [values]` to run every combination of (ablations).
    public var sweep: ConfigNode?
    /// Top-level sections that plugins registered (`Registry.register(section:category:)`),
    /// by key; filled by `Experiment.load`.
    public var sections: [String: ConfigNode] = [:]

    /// The keys every experiment file may have, whatever plugins are registered.
    public static let builtInKeys: Set<String> = Set(CodingKeys.allCases.map(\.stringValue))

    /// A top-level section by key: a built-in one or one a plugin registered.
    public func section(_ key: String) -> ConfigNode? {
        switch key {
        case "task": task
        case "data": data
        case "backbone": backbone
        case "head": head
        case "training": training
        case "augmentation": augmentation
        case "acquisition": acquisition
        case "sweep": sweep
        default: sections[key]
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, seed, task, data, backbone, head, training, augmentation, acquisition, sweep
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        task = try c.decode(ConfigNode.self, forKey: .task)
        data = try c.decode(ConfigNode.self, forKey: .data)
        backbone = try c.decodeIfPresent(ConfigNode.self, forKey: .backbone)
        head = try c.decodeIfPresent(ConfigNode.self, forKey: .head)
        training = try c.decodeIfPresent(ConfigNode.self, forKey: .training)
        augmentation = try c.decodeIfPresent(ConfigNode.self, forKey: .augmentation)
        acquisition = try c.decodeIfPresent(ConfigNode.self, forKey: .acquisition)
        sweep = try c.decodeIfPresent(ConfigNode.self, forKey: .sweep)
    }
}
