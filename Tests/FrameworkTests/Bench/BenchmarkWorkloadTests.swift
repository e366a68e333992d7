import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("zoorun bench: absent data skips a workload, the rest run")
struct BenchmarkWorkloadTests {
    /// Outside this repository's workspace ../shared/data/gz-rings is absent, and the first
    /// workload that read it aborted every later one.
    @Test func absentDataIsSkippedWithTheReasonAndTheRestRun() throws {
        let elsewhere = try TemporaryFolder("bench")
        let gzRings = EngineBenchmarks.all.filter { $0.requiredFiles.contains(EngineBenchmarks.gzRings) }
        #expect(gzRings.map(\.name).contains("loader-png-128") && gzRings.count == 4)
        let result = BenchmarkResult(name: "x", unit: "images/s", samples: [1])
        let workloads = [gzRings[0],
                         BenchmarkWorkload(name: "broken", summary: "") { throw CocoaError(.fileReadUnknown) },
                         BenchmarkWorkload(name: "fine", summary: "") { result }]
        var seen: [String] = []
        BenchmarkWorkload.runAll(workloads, in: elsewhere.path, runOne: { try $0.run() }) { w, outcome in
            switch outcome {
            case let .skipped(why):
                #expect(why.contains("its data is absent: ../shared/data/gz-rings/catalog.csv"))
                seen.append("skipped \(w.name)")
            case .failed: seen.append("failed \(w.name)")
            case .ran: seen.append("ran \(w.name)")
            }
        }
        #expect(seen == ["skipped \(gzRings[0].name)", "failed broken", "ran fine"])
    }
}
