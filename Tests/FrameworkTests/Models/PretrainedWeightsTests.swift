import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("Pretrained weights: strict and lenient loading, input adaptation, saving")
struct PretrainedWeightsTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zoorun-pretrained-\(UUID().uuidString)-\(name)").path
    }

    static func smallResNet(inChannels: Int = 3, seed: UInt64 = 5) -> ResNet {
        var rng = RandomGenerator(seed: seed)
        return ResNet(block: .basic, depths: [1, 2, 1, 1], inChannels: inChannels, widths: [64, 16, 24, 32], rng: &rng)
    }

    /// The resnet_basic fixture with one key dropped, one added and one reshaped.
    static func damagedCopy() throws -> String {
        let file = try SafeTensors.read(path: ReferenceFixture.directory + "/resnet_basic.safetensors")
        var entries = file.entries
        entries["layer2.1.bn1.running_var"] = nil
        entries["fc.weight"] = SafeTensorsEntry(name: "fc.weight", shape: [10, 32], values: [Float](repeating: 0, count: 320))
        let bias = entries["layer3.0.bn2.bias"]!
        entries["layer3.0.bn2.bias"] = SafeTensorsEntry(name: bias.name, shape: [2, 12], values: bias.values)
        let path = temporaryPath("damaged.safetensors")
        try SafeTensors.write(Array(entries.values), to: path)
        return path
    }

    @Test func strictLoadNamesEveryProblemAndChangesNothing() throws {
        let path = try Self.damagedCopy()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = Self.smallResNet()
        let before = model.stateDict().map(\.tensor.storage)
        do {
            try PretrainedWeights.load(path, into: model)
            Issue.record("a damaged file loaded strictly")
        } catch let error as StateDictError {
            let message = error.description
            #expect(message.contains(path))
            #expect(error.report.missing == ["layer2.1.bn1.running_var"])
            #expect(error.report.unexpected == ["fc.weight"])
            #expect(error.report.shapeMismatches.map(\.key) == ["layer3.0.bn2.bias"])
            #expect(message.contains("layer2.1.bn1.running_var") && message.contains("fc.weight")
                    && message.contains("shape mismatch for 'layer3.0.bn2.bias': model [24], file [2, 12]"))
        }
        #expect(model.stateDict().map(\.tensor.storage) == before)
    }

    @Test func lenientLoadTakesWhatMatches() throws {
        let path = try Self.damagedCopy()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = Self.smallResNet()
        let loaded = try PretrainedWeights.load(path, into: model, strict: false)
        #expect(loaded.report.missing == ["layer2.1.bn1.running_var"])
        #expect(loaded.report.unexpected == ["fc.weight"])
        #expect(loaded.report.loaded.count == model.stateDict().count - 2)
        let reference = try SafeTensors.read(path: ReferenceFixture.directory + "/resnet_basic.safetensors")
        let conv = model.stateDict().first { $0.name == "layer4.0.conv2.weight" }!.tensor
        #expect(conv.storage == reference.entries["layer4.0.conv2.weight"]!.values)
        let untouched = model.stateDict().first { $0.name == "layer2.1.bn1.running_var" }!.tensor
        #expect(untouched.storage.allSatisfy { $0 == 1 })
    }

    /// An RGB stem summed over colours sees a grey image exactly as the RGB model sees it
    /// repeated in three channels (convolution is linear), so outputs must agree.
    @Test func rgbCheckpointIntoOneChannelModel() throws {
        let path = ReferenceFixture.directory + "/resnet_basic.safetensors"
        let rgb = Self.smallResNet()
        try PretrainedWeights.load(path, into: rgb)
        let grey = Self.smallResNet(inChannels: 1)
        let loaded = try PretrainedWeights.load(path, into: grey)
        #expect(loaded.adaptedInput?.key == "conv1.weight")
        #expect(loaded.adaptedInput?.fileChannels == 3 && loaded.adaptedInput?.modelChannels == 1)
        #expect(loaded.description.contains("adapted 'conv1.weight' from 3 to 1 input channels"))
        #expect(loaded.metadata["family"] == "resnet")

        var rng = RandomGenerator(seed: 9)
        let image = try Tensor.randn([2, 1, 32, 32], using: &rng)
        let repeated = try Tensor.concat([image, image, image], axis: 1)
        try GradMode.withoutGrad {
            rgb.eval(); grey.eval()
            let error = try ReferenceFixture.relativeError(grey.embed(image), rgb.embed(repeated))
            #expect(error < 1e-5)
        }

        #expect(throws: StateDictError.self) {
            try PretrainedWeights.load(path, into: Self.smallResNet(inChannels: 1), adaptInputChannels: false)
        }
    }

    @Test func moreInputChannelsRepeatTheColoursScaled() throws {
        var rng = RandomGenerator(seed: 2)
        let w = try Tensor.randn([2, 3, 1, 1], using: &rng)
        let adapted = try #require(PretrainedWeights.adaptInput(w, toShape: [2, 5, 1, 1]))
        let s = w.storage
        let expected = [s[0], s[1], s[2], s[0], s[1], s[3], s[4], s[5], s[3], s[4]].map { $0 * (Float(3) / 5) }
        #expect(adapted.storage == expected)
        #expect(PretrainedWeights.adaptInput(w, toShape: [2, 5, 3, 3]) == nil)
        #expect(PretrainedWeights.adaptInput(try Tensor.zeros([2, 4, 1, 1]), toShape: [2, 1, 1, 1]) == nil)
    }

    @Test func savedWeightsReloadWithIntegerCounters() throws {
        let path = Self.temporaryPath("saved.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let model = Self.smallResNet(seed: 21)
        try PretrainedWeights.load(ReferenceFixture.directory + "/resnet_basic.safetensors", into: model)
        try PretrainedWeights.save(model, to: path, metadata: ["family": "resnet"])

        let header = try SafeTensors.readHeader(path: path)
        let counters = header.tensors.filter { $0.name.hasSuffix("num_batches_tracked") }
        #expect(!counters.isEmpty && counters.allSatisfy { $0.dtype == .I64 && $0.shape == [] })
        #expect(header.tensors.filter { !$0.name.hasSuffix("num_batches_tracked") }.allSatisfy { $0.dtype == .F32 })

        let copy = Self.smallResNet(seed: 99)
        let loaded = try PretrainedWeights.load(path, into: copy)
        #expect(loaded.report.isClean && loaded.metadata["family"] == "resnet")
        #expect(copy.stateDict().map(\.tensor.storage) == model.stateDict().map(\.tensor.storage))
    }

    @Test func truncatedFileIsAnErrorNamingIt() throws {
        let path = Self.temporaryPath("truncated.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ReferenceFixture.directory + "/resnet_basic.safetensors"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        do {
            try PretrainedWeights.load(path, into: Self.smallResNet())
            Issue.record("a truncated file loaded")
        } catch {
            #expect("\(error)".contains(path))
        }
    }
}
