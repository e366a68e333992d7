/// Options shared by every backbone: where its weights come from.
public struct BackboneOptions: ComponentOptions {
    /// A safetensors file of weights with timm/PyTorch keys (relative to the experiment file
    /// or absolute), or `none` for random initialisation.
    public var pretrained = "none"
    /// Refuse files whose keys or shapes differ from the model (every mismatch is listed);
    /// `false` loads what matches and reports the rest.
    public var strict = true

    public init() {}

    /// The weights path resolved against the experiment's folder, or nil.
    public func weightsPath(baseFolder: String) -> String? {
        guard pretrained != "none", !pretrained.isEmpty else { return nil }
        return pretrained.hasPrefix("/") ? pretrained : baseFolder + "/" + pretrained
    }
}
