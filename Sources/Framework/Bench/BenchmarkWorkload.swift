import Foundation

/// A named benchmark: what `zoorun bench` runs, each in its own process.
public struct BenchmarkWorkload: Sendable {
    public var name: String
    public var summary: String
    /// Runs the workload (warmup included) and returns its result.
    public var run: @Sendable () throws -> BenchmarkResult
    /// Data files the workload reads (relative to the working folder or absolute); a
    /// workload whose data is absent is skipped, not failed.
    public var requiredFiles: [String]

    public init(name: String, summary: String, requiredFiles: [String] = [],
                run: @escaping @Sendable () throws -> BenchmarkResult) {
        self.name = name
        self.summary = summary
        self.requiredFiles = requiredFiles
        self.run = run
    }

    /// Why the workload cannot run here (its data is absent), or nil.
    public func skipReason(in folder: String = FileManager.default.currentDirectoryPath) -> String? {
        let absent = requiredFiles.filter { f in
            !FileManager.default.fileExists(atPath: f.hasPrefix("/") ? f : (folder as NSString).appendingPathComponent(f))
        }
        return absent.isEmpty ? nil : "its data is absent: \(absent.joined(separator: ", ")) (from \(folder))"
    }

    /// What became of one workload in a `zoorun bench` sitting.
    public enum Outcome {
        case ran(BenchmarkResult)
        case skipped(String)
        case failed(String)
    }

    /// Runs each workload with `runOne`, skipping those whose data is absent and carrying on
    /// past failures, so one missing folder does not cost the rest of the sitting.
    public static func runAll(_ workloads: [BenchmarkWorkload], in folder: String = FileManager.default.currentDirectoryPath,
                              runOne: (BenchmarkWorkload) throws -> BenchmarkResult,
                              report: (BenchmarkWorkload, Outcome) -> Void) {
        for w in workloads {
            let outcome: Outcome
            if let reason = w.skipReason(in: folder) {
                outcome = .skipped(reason)
            } else {
                do { outcome = .ran(try runOne(w)) } catch { outcome = .failed("\(error)") }
            }
            report(w, outcome)
        }
    }

    /// Seconds taken by each of `iterations` calls after `warmup` untimed ones.
    public static func time(warmup: Int, iterations: Int, _ body: () throws -> Void) rethrows -> [Double] {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        for _ in 0..<iterations {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return samples
    }

    /// Peak resident set size of this process so far, in MB.
    public static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
