import Foundation
import TestSupport
import Testing
@testable import Framework

extension ComponentInfo.Category {
    fileprivate static let decoder: Self = "decoder"
}

/// A component of a category only a plugin knows about.
private struct ToyDecoder { var width: Int }

private struct ToyDecoderOptions: ComponentOptions {
    var width = 8
    init() {}
}

@Suite("Plugin categories and top-level sections")
struct PluginSectionTests {
    func registry(withSection: Bool = true) -> Registry {
        let r = Registry.simulatedForTests()
        r.add(.decoder, kind: "toy-decoder", summary: "A decoder for tests", options: ToyDecoderOptions.self,
              plugin: "Tests") { o, _ in ToyDecoder(width: o.width) }
        if withSection { r.register(section: "decoder", category: .decoder) }
        return r
    }

    func write(_ yaml: String) throws -> (TemporaryFolder, String) {
        let dir = try TemporaryFolder("plugin-section")
        return (dir, try dir.write("x.yaml", text: yaml))
    }

    let yaml = """
    name: sections
    task: {kind: anything}
    data: {kind: simulated-galaxies, count: 8}
    decoder:
      kind: toy-decoder
      width: 3
    """

    @Test func aPluginCategoryIsListedAfterTheBuiltInOnes() {
        let r = registry()
        #expect(r.categories == ComponentInfo.Category.builtIn + [.decoder])
        #expect(r.kinds(.decoder) == ["toy-decoder"])
        #expect(r.infos(.decoder).first?.defaults.contains("width: 8") == true)
    }

    @Test func aRegisteredSectionIsKeptAndBuildsItsComponent() throws {
        let (dir, path) = try write(yaml)
        _ = dir
        let e = try Experiment.load(path: path, registry: registry())
        let node = try #require(e.config.section("decoder"))
        let decoder: ToyDecoder = try e.registry.make(.decoder, from: node, context: e.context())
        #expect(decoder.width == 3)
        #expect(e.config.section("data")?.string("kind") == "simulated-galaxies")
    }

    @Test func anUnregisteredSectionIsStillAnUnknownKey() throws {
        let (dir, path) = try write(yaml)
        _ = dir
        #expect { try Experiment.load(path: path, registry: registry(withSection: false)) } throws: { error in
            "\(error)".contains("4:1: error: unknown key 'decoder' at the top level")
        }
    }

    @Test func validateChecksThePluginSectionWithPositions() throws {
        let (dir, path) = try write(yaml.replacingOccurrences(of: "  width: 3", with: "  widht: 3\n  extra: 1"))
        _ = dir
        do {
            _ = try Experiment.check(path: path, registry: registry())
            Issue.record("misspelt decoder keys passed validation")
        } catch let e as ConfigErrors {
            let lines = e.errors.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.message)" }
            #expect(lines.contains { $0.hasPrefix("6:3 unknown key 'widht' in 'decoder'; did you mean 'width'?") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("7:3 unknown key 'extra' in 'decoder'") }, "\(lines)")
        }
        let (dir2, path2) = try write(yaml.replacingOccurrences(of: "kind: toy-decoder", with: "kind: toy-decodr"))
        _ = dir2
        #expect { try Experiment.check(path: path2, registry: registry()) } throws: { error in
            "\(error)".contains("unknown decoder kind 'toy-decodr'; known: toy-decoder; did you mean 'toy-decoder'?")
        }
    }
}
