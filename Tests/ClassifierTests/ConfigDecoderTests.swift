import TestSupport
import ClassifierPlugin
import Testing
import Yams
@testable import Framework

private enum Mode: String, ConfigEnum { case headOnly = "head_only", full }

private struct Training: Decodable, Equatable {
    var epochs: Int
    var learningRate: Double = 1e-3
    var mode: Mode = .full
    var milestones: [Int] = []
    enum CodingKeys: String, CodingKey { case epochs, learningRate = "learning_rate", mode, milestones }
    init(epochs: Int, learningRate: Double = 1e-3, mode: Mode = .full, milestones: [Int] = []) {
        self.epochs = epochs; self.learningRate = learningRate; self.mode = mode; self.milestones = milestones
    }
    init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        epochs = try c.decode(Int.self, forKey: .epochs)
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? 1e-3
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .full
        milestones = try c.decodeIfPresent([Int].self, forKey: .milestones) ?? []
    }
}

private struct Experiment: Decodable {
    var name: String
    var training: Training
    var head: ConfigNode
}

private struct ToyHeadOptions: Decodable { var dropout: Float }

@Suite("Strict YAML configuration")
struct ConfigDecoderTests {
    fileprivate func decode(_ yaml: String, sets: [String] = []) throws -> Experiment {
        let node = try ConfigOverrides.apply(sets, to: ConfigDecoder.parse(yaml, file: "x.yaml"))
        return try ConfigDecoder(source: ConfigSource(file: "x.yaml", text: yaml)).decode(Experiment.self, from: node)
    }

    let good = """
    name: rings
    training:
      epochs: 3
      learning_rate: 0.01
      mode: head_only
    head:
      kind: toy
      dropout: 0.5
    """

    @Test func decodesAndDefers() throws {
        let e = try decode(good)
        #expect(e.training == Training(epochs: 3, learningRate: 0.01, mode: .headOnly))
        #expect(e.head.string("kind") == "toy")
        let opts = try e.head.decode(ToyHeadOptions.self, ignoring: ["kind"])
        #expect(opts.dropout == 0.5)
    }

    @Test func typoIsAnErrorWithPositionAndSuggestion() throws {
        let yaml = good.replacingOccurrences(of: "learning_rate", with: "learning_rat")
        #expect { try decode(yaml) } throws: { e in
            let text = "\(e)"
            return text.hasPrefix("x.yaml:4:3: error: unknown key 'learning_rat' in 'training'; did you mean 'learning_rate'?")
                && text.contains("  learning_rat: 0.01")
        }
    }

    @Test func typeErrorQuotesTheValue() throws {
        let yaml = good.replacingOccurrences(of: "epochs: 3", with: "epochs: three")
        #expect { try decode(yaml) } throws: { e in
            "\(e)".hasPrefix("x.yaml:3:11: error: 'training.epochs': expected Int, found 'three'")
        }
    }

    @Test func missingKeyAndBadEnum() throws {
        let missing = good.replacingOccurrences(of: "  epochs: 3\n", with: "")
        #expect { try decode(missing) } throws: { e in "\(e)".contains("missing key 'epochs' in 'training'") }
        let badEnum = good.replacingOccurrences(of: "head_only", with: "head_onyl")
        #expect { try decode(badEnum) } throws: { e in
            "\(e)".contains("x.yaml:5:9: error: 'training.mode': invalid value 'head_onyl'; expected one of: head_only, full (did you mean 'head_only'?)")
        }
    }

    @Test func unknownKeyInsideDeferredPluginOptions() throws {
        let e = try decode(good.replacingOccurrences(of: "dropout: 0.5", with: "dropuot: 0.5"))
        #expect { try e.head.decode(ToyHeadOptions.self, ignoring: ["kind"]) } throws: { err in
            "\(err)".contains("x.yaml:8:3: error: unknown key 'dropuot' in 'head'; did you mean 'dropout'?")
        }
    }

    @Test func overrides() throws {
        let e = try decode(good, sets: ["training.epochs=7", "training.milestones=[2, 4]"])
        #expect(e.training.epochs == 7)
        #expect(e.training.milestones == [2, 4])
        #expect { try decode(good, sets: ["training.epoch=7"]) } throws: { err in
            "\(err)".contains("unknown key 'epoch' in 'training'; did you mean 'epochs'?")
        }
    }

    @Test func syntaxError() {
        #expect { try decode("name: [unclosed\n") } throws: { e in "\(e)".hasPrefix("x.yaml:") && "\(e)".contains("YAML syntax") }
    }
}

@Suite("Config limits: nesting depth and size")
struct ConfigLimitsTests {
    /// Thousands of `[` crashed `zoorun validate` with a stack overflow inside Yams.
    @Test func deepFlowNestingIsAPositionedError() {
        let yaml = "name: x\ntask: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        #expect { _ = try ConfigDecoder.parse(yaml, file: "deep.yaml") } throws: { e in
            "\(e)".hasPrefix("deep.yaml:2:70: error: collections nest deeper than 64 levels")
        }
        let braces = "a: " + String(repeating: "{b: ", count: 3000) + "1" + String(repeating: "}", count: 3000)
        #expect(throws: ConfigError.self) { try ConfigDecoder.parse(braces, file: "b.yaml") }
        #expect(throws: DecisionTreeError.self) { try DecisionTree.decode(yaml: yaml) }
        #expect(throws: ConfigError.self) { try ConfigOverrides.apply(["task=" + String(repeating: "[", count: 5000)], to: Node("")) }
    }

    @Test func deepBlockNestingAndSize() throws {
        let block = (0..<100).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        #expect { _ = try ConfigDecoder.parse(block, file: "b.yaml") } throws: { e in "\(e)".hasPrefix("b.yaml:65:") }
        let dashes = "a:\n" + String(repeating: "- ", count: 200) + "x\n"
        #expect(throws: ConfigError.self) { try ConfigDecoder.parse(dashes, file: "d.yaml") }
        let big = "name: \"" + String(repeating: "x", count: ConfigLimits.maxBytes) + "\"\n"
        #expect { _ = try ConfigDecoder.parse(big, file: "big.yaml") } throws: { e in "\(e)".contains("may be at most") }
    }

    /// What stays legal: brackets in quotes, comments and block scalars, and real depth.
    @Test func ordinaryYAMLPasses() throws {
        let yaml = """
        name: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
        description: |
          [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
        task: {kind: finetune, milestones: [[1, 2], [3]]}  # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
        data:
          - - a: 1
              b: 'it''s [ fine'
        """
        #expect(throws: Never.self) { try ConfigDecoder.parse(yaml, file: "ok.yaml") }
        let nested = "a: " + String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(throws: Never.self) { try ConfigDecoder.parse(nested, file: "ok.yaml") }
    }
}

@Suite("Component defaults as zoorun list prints them")
struct ComponentDefaultsTests {
    /// Options whose default is nil were omitted, so a user could not discover them.
    @Test func unsetOptionsAreListed() {
        let lines = CatalogSource.Options.defaultsYAML().split(separator: "\n").map(String.init)
        for key in ["split_column", "stratify_by", "max_labels"] { #expect(lines.contains("\(key): (unset)"), "\(key)") }
        #expect(lines.contains("image_size: 64") && lines.contains("on_bad_image: error"))
        #expect(lines.filter { $0.hasPrefix("catalog:") }.count == 1)
    }
}

@Suite("zoorun validate reports every config error in one pass")
struct ConfigErrorsInOnePassTests {
    /// A missing pretrained file used to hide a misspelt key further down (and a second
    /// unknown key hid behind the first).
    @Test func everyErrorIsReportedWithItsPosition() throws {
        let dir = try TemporaryFolder("validate")
        let yaml = """
        name: many
        seed: 1
        sed: 2
        task:
          kind: finetune
        data:
          kind: simulated-galaxies
          count: 48
        backbone:
          kind: compact
          pretrained: missing.safetensors
        head:
          kind: linear-classifier
          dropuot: 0.5
          classes: [only]
        training:
          epochs: 20
          batchsize: 8
          learning_rat: 0.1
        """
        let path = try dir.write("many.yaml", text: yaml)
        let registry = FinetuneExperimentTests.registry()
        registry.register(section: "training", options: TrainingOptions.self)
        do {
            _ = try Framework.Experiment.check(path: path, registry: registry)
            Issue.record("a config with six errors passed")
        } catch let e as ConfigErrors {
            let lines = e.errors.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.message)" }
            #expect(e.errors.count == 6, "\(lines)")
            #expect(lines.first?.hasPrefix("3:1 unknown key 'sed' at the top level") == true, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("11:15 'backbone.pretrained': no weights file at \(dir.path)/missing.safetensors") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("14:3 unknown key 'dropuot' in 'head'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("13:3 head: classes: need at least two classes") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("18:3 unknown key 'batchsize' in 'training'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("19:3 unknown key 'learning_rat' in 'training'") }, "\(lines)")
            #expect(e.description.hasPrefix("\(path):3:1: error: unknown key 'sed'"))
        }
    }
}
