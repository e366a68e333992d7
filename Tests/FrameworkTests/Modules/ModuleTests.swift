import TestSupport
import Testing
@testable import Framework

/// A miniature ResNet-like tree to check state_dict naming.
private final class Block: Module, Layer {
    let conv1: Linear
    let fc: Linear
    init(rng: inout RandomGenerator) {
        conv1 = Linear(4, 4, rng: &rng)
        fc = Linear(4, 4, bias: false, rng: &rng)
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor { try fc(conv1(x)) }
}

private final class Toy: Module {
    let stem: Linear
    let layer1: [Block]
    let head: Sequential
    let scale: Tensor
    let counter: Tensor
    override var bufferKeys: Set<String> { ["num_batches_tracked"] }
    override var keyNames: [String: String] { ["counter": "num_batches_tracked"] }
    init(rng: inout RandomGenerator) {
        stem = Linear(3, 4, rng: &rng)
        layer1 = [Block(rng: &rng), Block(rng: &rng)]
        head = Sequential(Linear(4, 2, rng: &rng))
        scale = Tensor.scalar(1)
        counter = Tensor.scalar(0)
    }
}

@Suite("Module discovery, naming, freezing and loading")
struct ModuleTests {
    @Test func namesFollowPyTorchStateDict() {
        var rng = RandomGenerator(seed: 3)
        let m = Toy(rng: &rng)
        let names = m.stateDict().map(\.name)
        #expect(names == [
            "scale", "num_batches_tracked",
            "stem.weight", "stem.bias",
            "layer1.0.conv1.weight", "layer1.0.conv1.bias", "layer1.0.fc.weight",
            "layer1.1.conv1.weight", "layer1.1.conv1.bias", "layer1.1.fc.weight",
            "head.0.weight", "head.0.bias",
        ])
        #expect(m.namedBuffers().map(\.name) == ["num_batches_tracked"])
        #expect(m.parameterCount == 1 + 3 * 4 + 4 + 2 * (16 + 4 + 16) + 4 * 2 + 2)
    }

    @Test func freezeByPrefix() {
        var rng = RandomGenerator(seed: 3)
        let m = Toy(rng: &rng)
        m.freeze()
        #expect(m.trainableParameters().isEmpty)
        m.unfreeze(prefix: "layer1.1")
        let trainable = m.namedParameters().filter(\.tensor.requiresGrad).map(\.name)
        #expect(trainable == ["layer1.1.conv1.weight", "layer1.1.conv1.bias", "layer1.1.fc.weight"])
        // "layer1.1" must not match "layer1.10…": prefixes are whole path segments.
        m.freeze()
        m.unfreeze(prefix: "layer")
        #expect(m.trainableParameters().isEmpty)
    }

    @Test func trainEvalPropagates() {
        var rng = RandomGenerator(seed: 3)
        let m = Toy(rng: &rng)
        m.eval()
        #expect(m.namedModules().allSatisfy { !$0.module.training })
        m.train()
        #expect(m.namedModules().allSatisfy { $0.module.training })
    }

    @Test func strictLoadReportsEverythingAtOnce() throws {
        var rng = RandomGenerator(seed: 3)
        let m = Toy(rng: &rng)
        var values: [String: Tensor] = [:]
        for (name, t) in m.stateDict() { values[name] = t.detached() }
        values["stem.weight"] = try Tensor.zeros([5, 3])
        values.removeValue(forKey: "head.0.bias")
        values["extra.weight"] = try Tensor.zeros([1])
        do {
            try m.load(values, source: "w.safetensors")
            Issue.record("strict load must throw")
        } catch let e as StateDictError {
            let text = e.description
            #expect(text.contains("w.safetensors"))
            #expect(text.contains("head.0.bias"))
            #expect(text.contains("extra.weight"))
            #expect(text.contains("stem.weight") && text.contains("[4, 3]") && text.contains("[5, 3]"))
        }
        // Non-strict: loads the rest, in place.
        let stemBias = m.stem.bias!
        values["stem.bias"] = try Tensor(shape: [4], storage: [1, 2, 3, 4])
        let report = try m.load(values, strict: false)
        #expect(report.missing == ["head.0.bias"])
        #expect(report.unexpected == ["extra.weight"])
        #expect(stemBias.storage == [1, 2, 3, 4])
        #expect(m.stem.bias === stemBias)
    }

    @Test func linearGradients() throws {
        try checkGradients("linear", inputs: [GradInput([2, 3, 5]), GradInput([4, 5]), GradInput([4])],
                           op: { try $0[0].linear(weight: $0[1], bias: $0[2]) },
                           reference: { r in
                               var out = Ref.zeros([2, 3, 4])
                               for i in 0..<6 { for o in 0..<4 {
                                   var s = r[2].data[o]
                                   for k in 0..<5 { s += r[0].data[i * 5 + k] * r[1].data[o * 5 + k] }
                                   out.data[i * 4 + o] = s
                               } }
                               return out
                           })
        try checkGradients("linear no bias", inputs: [GradInput([3, 5]), GradInput([2, 5])],
                           op: { try $0[0].linear(weight: $0[1], bias: nil) },
                           reference: { r in
                               var out = Ref.zeros([3, 2])
                               for i in 0..<3 { for o in 0..<2 {
                                   for k in 0..<5 { out.data[i * 2 + o] += r[0].data[i * 5 + k] * r[1].data[o * 5 + k] }
                               } }
                               return out
                           })
    }
}
