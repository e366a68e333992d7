import Foundation

/// Registers a backbone by name with a builder, so a new architecture or width is one line
/// (`Runner/Plugins.swift`): weights loading and options are shared.
public struct BackboneFamily {
    public var kind: String
    public var summary: String
    public var build: (_ inChannels: Int, _ rng: inout RandomGenerator) -> any Backbone

    public init(kind: String, summary: String, build: @escaping (_ inChannels: Int, _ rng: inout RandomGenerator) -> any Backbone) {
        self.kind = kind
        self.summary = summary
        self.build = build
    }

    /// Builds the backbone and loads `pretrained` weights when given.
    public func make(options: BackboneOptions, context: ComponentContext) throws -> any Backbone {
        var rng = RandomGenerator(seed: context.seed, stream: 0x4241_434B)
        let backbone = build(context.inChannels, &rng)
        if let path = options.weightsPath(baseFolder: context.baseFolder) {
            let report = try PretrainedWeights.load(path, into: backbone, strict: options.strict)
            if !report.isClean {
                FileHandle.standardError.write(Data("zoorun: \(path): loaded what matches (strict: false)\n\(report)\n".utf8))
            }
        }
        return backbone
    }

    /// The built-in families.
    public static let builtIn: [BackboneFamily] = [
        BackboneFamily(kind: "compact", summary: "The project's compact CPU ResNet (≈1.2 M parameters, 3×3 stem, widths 32-64-128-192)") {
            ResNet.compact(inChannels: $0, rng: &$1)
        },
        BackboneFamily(kind: "small_cnn", summary: "The PyTorch from-scratch recipe's small CNN (3 × [conv-BN-ReLU ×2, maxpool], widths 32-64-128, ≈0.29 M parameters)") {
            SmallCNN(inChannels: $0, rng: &$1)
        },
        BackboneFamily(kind: "resnet18", summary: "ResNet-18, torchvision/timm layout and keys") { ResNet.resnet18(inChannels: $0, rng: &$1) },
        BackboneFamily(kind: "resnet34", summary: "ResNet-34, torchvision/timm layout and keys") { ResNet.resnet34(inChannels: $0, rng: &$1) },
        BackboneFamily(kind: "resnet50", summary: "ResNet-50 (bottleneck), torchvision/timm layout and keys") { ResNet.resnet50(inChannels: $0, rng: &$1) },
        BackboneFamily(kind: "efficientnet_b0", summary: "EfficientNet-B0, timm layout and keys") { EfficientNet.efficientnetB0(inChannels: $0, rng: &$1) },
        BackboneFamily(kind: "convnext_nano", summary: "ConvNeXt-nano, timm layout and keys (Zoobot's default encoder)") {
            ConvNeXt.convnextNano(inChannels: $0, rng: &$1)
        },
        BackboneFamily(kind: "convnext_pico", summary: "ConvNeXt-pico, timm layout and keys") { ConvNeXt.convnextPico(inChannels: $0, rng: &$1) },
        BackboneFamily(kind: "convnext_tiny", summary: "ConvNeXt-tiny, timm layout and keys (Linear MLP)") { ConvNeXt.convnextTiny(inChannels: $0, rng: &$1) },
    ]
}

extension Registry {
    /// Registers a backbone family.
    public func register(backbone family: BackboneFamily, plugin: String = "Framework") {
        add(.backbone, kind: family.kind, summary: family.summary, options: BackboneOptions.self, plugin: plugin,
            check: { options, node, ctx in
                // A missing weights file is found in the first pass, at its key.
                guard let path = options.weightsPath(baseFolder: ctx.baseFolder), !FileManager.default.fileExists(atPath: path) else { return }
                let mark = node.node.mapping?["pretrained"]?.mark ?? node.node.mark
                let section = pathString(node.codingPath)
                throw node.source.error(at: mark, "'\(section.isEmpty ? "" : section + ".")pretrained': no weights file at \(path)")
            }) { try family.make(options: $0, context: $1) }
    }
}
