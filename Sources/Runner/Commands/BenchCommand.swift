import ArgumentParser
import Foundation
import Framework

/// `zoorun bench`: runs each workload in a fresh process (so peak memory is per workload, as
/// in the PyTorch reference), prints a table and optionally writes JSON.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine: sgemm, convolutions, training and inference throughput.",
        discussion: """
        Each workload runs in its own process with ZOO_THREADS threads (default: all cores);
        compare with ../shared/bench/torch_reference.py run in the same sitting.
        ZOO_GEMM=openblas swaps the AVX-512 GEMM for OpenBLAS; ZOO_CPU=baseline runs the
        portable kernels that CPUs without AVX-512 use.
          zoorun bench                       all workloads
          zoorun bench --only train-resnet18-64,infer-resnet18-64
          zoorun bench --list                names and descriptions
          zoorun bench --json bench.json     also write the results as JSON (an existing file
                                             is replaced only with --overwrite)
        """
    )

    @Option(help: "Comma-separated workload names (see --list).")
    var only: String?

    @Flag(help: "List the workloads and exit.")
    var list = false

    @Option(help: "Write the results to this JSON file.")
    var json: String?

    @Flag(help: "Replace an existing --json file.")
    var overwrite = false

    @Option(help: .hidden)
    var worker: String?

    static var workloads: [BenchmarkWorkload] { EngineBenchmarks.all + ConvBenchmarks.workloads + pluginBenchmarks() }

    func run() throws {
        let all = Self.workloads
        if let worker {
            guard let w = all.first(where: { $0.name == worker }) else { throw ValidationError("unknown workload '\(worker)'") }
            var r = try w.run()
            r.peakRSSMB = BenchmarkWorkload.peakRSSMB()
            let data = try JSONEncoder().encode(r)
            FileHandle.standardOutput.write(data)
            return
        }
        if list {
            for w in all { print("\(w.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(w.summary)") }
            return
        }
        if let json {
            do { try OutputFile.check(json, overwrite: overwrite, option: "--json") } catch let e as OutputError { throw CleanExit.failure(e.description) }
        }
        var selected = all
        if let only {
            let names = only.split(separator: ",").map(String.init)
            for n in names where !all.contains(where: { $0.name == n }) {
                throw ValidationError("unknown workload '\(n)'; known: \(all.map(\.name).joined(separator: ", "))")
            }
            selected = all.filter { names.contains($0.name) }
        }
        print("threads: \(Parallel.threads) (ZOO_THREADS), GEMM: \(BLAS.backend.rawValue) (ZOO_GEMM), AVX-512 kernels: \(BLAS.avx512Available ? "yes" : "no") (ZOO_CPU), OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset")")
        print("workload                     median        min        max  unit        peak RSS")
        var results: [BenchmarkResult] = []
        var failed: [String] = []
        var i = 0
        BenchmarkWorkload.runAll(selected, runOne: { w in
            i += 1
            FileHandle.standardError.write("[\(i)/\(selected.count)] \(w.name)…\n".data(using: .utf8)!)
            return try runInSubprocess(w.name)
        }, report: { w, outcome in
            switch outcome {
            case let .ran(r):
                results.append(r)
                let rss = r.peakRSSMB.map { String(format: "%6.0f MB", $0) } ?? "-"
                print(String(format: "%-26@ %9.1f %10.1f %10.1f  %-10@ %@", w.name as NSString, r.median, r.min, r.max, r.unit as NSString, rss as NSString))
            case let .skipped(reason):
                print("\(w.name.padding(toLength: 26, withPad: " ", startingAt: 0)) skipped: \(reason)")
            case let .failed(reason):
                failed.append(w.name)
                print("\(w.name.padding(toLength: 26, withPad: " ", startingAt: 0)) failed: \(reason)")
            }
        })
        if let json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(enc.encode(results), to: json)
            print("wrote \(json)")
        }
        if !failed.isEmpty { throw ValidationError("\(failed.count) workloads failed: \(failed.joined(separator: ", "))") }
    }

    func runInSubprocess(_ name: String) throws -> BenchmarkResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: p.executableURL!.path) {
            p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        }
        p.arguments = ["bench", "--worker", name]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("workload \(name) failed (exit \(p.terminationStatus))") }
        return try JSONDecoder().decode(BenchmarkResult.self, from: data)
    }
}
