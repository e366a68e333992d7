import Foundation
@testable import Framework

/// A model exported by `scripts/reference_outputs.py`: its timm weights, the configuration in
/// their metadata, and PyTorch's outputs on a fixed input.
struct ReferenceFixture {
    let name: String
    let weightsPath: String
    let weights: SafeTensorsFile
    let expected: SafeTensorsFile

    /// The committed small fixtures.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/models").path
    static let smallModels = ["resnet_basic", "resnet_bottleneck", "efficientnet", "convnext_convmlp", "convnext_linear"]

    init(_ name: String, directory: String = ReferenceFixture.directory) throws {
        self.name = name
        weightsPath = "\(directory)/\(name).safetensors"
        weights = try SafeTensors.read(path: weightsPath)
        expected = try SafeTensors.read(path: "\(directory)/\(name).expected.safetensors")
    }

    /// Every fixture in a folder, by the names of its `*.expected.safetensors` files.
    static func names(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".expected.safetensors") }
            .map { String($0.dropLast(".expected.safetensors".count)) }
            .sorted()
    }

    /// The Swift backbone of the configuration the metadata describes, with random weights.
    func makeModel() throws -> any Backbone {
        let meta = weights.metadata
        func value(_ key: String) throws -> String {
            guard let v = meta[key] else { throw FixtureError("\(weightsPath): metadata has no '\(key)'") }
            return v
        }
        func ints(_ key: String) throws -> [Int] {
            try value(key).split(separator: ",").map { s in
                guard let i = Int(s) else { throw FixtureError("\(weightsPath): '\(key)' is not a list of integers") }
                return i
            }
        }
        func double(_ key: String) throws -> Double {
            guard let d = Double(try value(key)) else { throw FixtureError("\(weightsPath): '\(key)' is not a number") }
            return d
        }
        let inChannels = try ints("in_chans")[0]
        var rng = RandomGenerator(seed: 1)
        switch try value("family") {
        case "resnet":
            let block: ResNet.BlockKind = try value("block") == "basic" ? .basic : .bottleneck
            return ResNet(block: block, depths: try ints("depths"), inChannels: inChannels, widths: try ints("widths"), rng: &rng)
        case "efficientnet":
            return EfficientNet(channelMultiplier: try double("channel_multiplier"), depthMultiplier: try double("depth_multiplier"),
                                inChannels: inChannels, rng: &rng)
        case "convnext":
            return ConvNeXt(depths: try ints("depths"), widths: try ints("widths"), convMLP: try value("conv_mlp") == "true",
                            inChannels: inChannels, rng: &rng)
        case let family:
            throw FixtureError("\(weightsPath): unknown family '\(family)'")
        }
    }

    func expected(_ key: String) throws -> Tensor { try expected.tensor(key) }

    /// The train-mode BatchNorm buffers PyTorch ended with, by model key.
    var trainState: [String: Tensor] {
        get throws {
            var state: [String: Tensor] = [:]
            for name in expected.names where name.hasPrefix("train_state.") {
                state[String(name.dropFirst("train_state.".count))] = try expected.tensor(name)
            }
            return state
        }
    }

    /// The largest deviation relative to the largest magnitude of the expected values.
    static func relativeError(_ actual: Tensor, _ expected: Tensor) throws -> Double {
        guard actual.shape == expected.shape else {
            throw FixtureError("shape \(actual.shape), expected \(expected.shape)")
        }
        var maxDiff = 0.0, maxRef = 0.0
        for (a, e) in zip(actual.storage, expected.storage) {
            maxDiff = max(maxDiff, abs(Double(a) - Double(e)))
            maxRef = max(maxRef, abs(Double(e)))
        }
        return maxDiff / max(maxRef, 1e-30)
    }

    /// Relative errors of one full comparison: eval embedding, the four eval feature maps,
    /// the train-mode embedding and the BatchNorm buffers after that train-mode pass.
    struct Errors {
        var embedding = 0.0
        var features: [Double] = []
        var embeddingTrain = 0.0
        var trainState = 0.0
        var worst: Double { ([embedding, embeddingTrain, trainState] + features).max()! }
    }

    /// Loads the weights into `model` (strictly) and compares its outputs with PyTorch's.
    func compare(_ model: any Backbone) throws -> Errors {
        try PretrainedWeights.load(weightsPath, into: model)
        let x = try expected("input")
        var errors = Errors()
        try GradMode.withoutGrad {
            model.eval()
            errors.embedding = try Self.relativeError(model.embed(x), expected("embedding"))
            let maps = try model.features(x)
            guard maps.count == 4 else { throw FixtureError("\(maps.count) feature maps, expected 4") }
            for (i, map) in maps.enumerated() {
                errors.features.append(try Self.relativeError(map, expected("features.\(i)")))
            }
            model.train()
            errors.embeddingTrain = try Self.relativeError(model.embed(x), expected("embedding_train"))
        }
        let buffers = Dictionary(uniqueKeysWithValues: model.namedBuffers().map { ($0.name, $0.tensor) })
        let state = try trainState
        guard Set(state.keys) == Set(buffers.keys) else {
            throw FixtureError("buffers \(buffers.keys.sorted()), expected \(state.keys.sorted())")
        }
        for (key, value) in state {
            errors.trainState = max(errors.trainState, try Self.relativeError(buffers[key]!, value))
        }
        return errors
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
