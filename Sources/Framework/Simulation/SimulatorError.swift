/// A simulator option that cannot be used, named by its YAML key.
public struct SimulatorError: Error, CustomStringConvertible, Equatable {
    /// The option's key, e.g. `psf_beta` or `features.bar`.
    public var key: String
    /// What is wrong and what is allowed.
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "simulator option '\(key)': \(message)" }
}
