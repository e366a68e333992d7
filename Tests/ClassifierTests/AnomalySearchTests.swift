import ClassifierPlugin
import Foundation
import TestSupport
import Testing
@testable import Framework

/// The interest search end to end on a small simulated sky: its curves, its metrics and
/// the PCA-compressed representation.
@Suite("Anomaly search from YAML", .serialized)
struct AnomalySearchTests {
    static let yaml = """
    name: interest
    seed: 4
    task:
      kind: anomaly-search
      interesting: ["ring == 1", "merger > 0"]
      initial: 3
      budget: 30
      repeats: 2
      pca: PCA
    data:
      kind: simulated-galaxies
      count: 120
      simulator:
        image_size: 32
        features: {ring: 0.3, merger: 0.1}
    backbone:
      kind: compact
    """

    /// The folder lives as long as the returned `TemporaryFolder`.
    func run(pca: Int) throws -> (RunSummary, TemporaryFolder) {
        let dir = try TemporaryFolder("anomaly")
        let path = try dir.write("interest.yaml", text: Self.yaml.replacingOccurrences(of: "PCA", with: "\(pca)"))
        let registry = FinetuneExperimentTests.registry()
        registry.register(task: AnomalySearchComponent.self, plugin: "Classifier")
        let e = try Experiment.load(path: path, registry: registry, runFolder: dir.file("run"))
        let task: any ExperimentTask = try e.registry.make(.task, from: e.config.task, context: e.context())
        return (try task.run(e), dir)
    }

    @Test func curvesGrowToTheBudgetAndCountFoundAgainstTheIdeal() throws {
        let (summary, dir) = try run(pca: 5)
        let folder = dir.file("run")
        let total = try #require(summary.metrics["interesting_total"])
        #expect(total > 5 && total < 120)
        let csv = try CSVTable.read(path: "\(folder)/anomaly_curve.csv")
        #expect(csv.rows.count == 30)
        for method in AnomalySearchTask.methods {
            let found = try #require(csv.column(method)).map { Double($0)! }
            #expect(zip(found, found.dropFirst()).allSatisfy { $0 <= $1 }, "\(method) never loses a find")
            #expect(found.last! <= min(30, total))
            let fraction = try #require(summary.metrics["\(method)_fraction_found_at_25"])
            #expect(Swift.abs(fraction - found[24] / min(25, total)) < 1e-3)
        }
        let html = try String(contentsOfFile: "\(folder)/report.html", encoding: .utf8)
        #expect(html.contains("PCA to 5 components"))
    }

    @Test func tooManyComponentsIsAnErrorSayingHowMany() throws {
        #expect { _ = try run(pca: 500) } throws: { "\($0)".contains("pca: 500 components") && "\($0)".contains("at most") }
    }
}
