import TestSupport
import Foundation
import Testing
@testable import Framework

/// The run-folder rules through the real `zoorun` binary: a second process, a SIGKILLed
/// holder, reruns with and without `--overwrite` and `--resume`.
@Suite("Run folders between real zoorun processes", .serialized)
struct RunFolderProcessTests {
    let dir: TemporaryFolder
    init() throws {
        dir = try TemporaryFolder("zoorun-run-folders")
        try dir.write("tiny.yaml", text: """
        name: tiny
        seed: 1
        task: {kind: finetune, mc_samples: 1}
        data: {kind: simulated-galaxies, count: 48, simulator: {image_size: 32}}
        backbone: {kind: compact}
        head: {kind: linear-classifier, label: ring}
        training: {epochs: 1, batch_size: 8, warmup_epochs: 0, patience: 0, workers: 1}
        """)
    }

    func zoorun(_ arguments: String...) throws -> (status: Int32, stderr: String) {
        try ZoorunBinary.run(["tiny.yaml"] + arguments, in: dir.path)
    }

    @Test func aSecondProcessIsRefusedAndAKilledHolderLeavesNoStaleLock() throws {
        try #require(ZoorunBinary.isBuilt, "build zoorun first: \(ZoorunBinary.path)")
        let (child, _) = ZoorunBinary.process(["tiny.yaml", "--out", "run", "--set", "training.epochs=100000"], in: dir.path)
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        // The child writes its pid into the lock file once it holds the lock.
        let lockFile = dir.file("run/\(OutputFolder.lockName)")
        let deadline = Date().addingTimeInterval(120)
        while (try? String(contentsOfFile: lockFile, encoding: .utf8))?.contains("pid: \(child.processIdentifier)") != true {
            try #require(child.isRunning && Date() < deadline, "the child never took the lock")
            Thread.sleep(forTimeInterval: 0.1)
        }
        for flags in [["--resume"], ["--overwrite"]] {
            let second = try ZoorunBinary.run(["tiny.yaml", "--out", "run"] + flags, in: dir.path)
            #expect(second.status == 1)
            #expect(second.stderr.contains("run: error: in use by another zoorun (pid \(child.processIdentifier), started "))
            #expect(second.stderr.contains("--set training.epochs=100000); wait for it to finish or stop it (kill \(child.processIdentifier)), or choose another --out"))
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(FileManager.default.fileExists(atPath: lockFile))  // the file stays, the lock does not
        let claim = try OutputFolder.claim(dir.file("run"), kind: .run, existing: .resume)
        #expect(claim.continues)
    }

    @Test func aRerunIsRefusedUntouchedThenResumedAndOverwritten() throws {
        try #require(ZoorunBinary.isBuilt, "build zoorun first: \(ZoorunBinary.path)")
        #expect(try zoorun("--out", "run").status == 0)
        let first = snapshot(dir.file("run"))
        #expect(first["test_metrics.json"] != nil && first["checkpoints/last.safetensors"] != nil)

        let rerun = try zoorun("--out", "run", "--set", "seed=2")
        #expect(rerun.status == 1)
        #expect(rerun.stderr.hasPrefix("run: error: holds an earlier run (zoorun tiny.yaml --out run, "))
        #expect(rerun.stderr.contains("pass --resume to continue it, or --overwrite to replace it (deleting its files), or choose another --out"))
        #expect(snapshot(dir.file("run")) == first)

        #expect(try zoorun("--out", "run", "--resume").status == 0)

        try dir.write("run/extra.txt", text: "from the old run")
        #expect(try zoorun("--out", "run", "--overwrite", "--set", "seed=2").status == 0)
        let replaced = snapshot(dir.file("run"))
        #expect(replaced["extra.txt"] == nil && replaced["test_metrics.json"] != nil)
        #expect(replaced["checkpoints/last.safetensors"] != first["checkpoints/last.safetensors"])
        let marker = String(decoding: replaced[OutputFolder.markerName] ?? Data(), as: UTF8.self)
        #expect(OutputFolder.fields(marker)["command"] == "zoorun tiny.yaml --out run --overwrite --set seed=2")
    }

    @Test func aForeignOutIsRefusedAndLeftUntouched() throws {
        try #require(ZoorunBinary.isBuilt, "build zoorun first: \(ZoorunBinary.path)")
        try dir.write("thesis/chapter1.tex", text: "\\chapter{Rings}")
        let before = snapshot(dir.file("thesis"))
        let r = try zoorun("--out", "thesis")
        #expect(r.status == 1 && r.stderr.hasPrefix("thesis: error: --out holds files that zoorun did not write (chapter1.tex); "))
        #expect(snapshot(dir.file("thesis")) == before)
        let catalog = try ZoorunBinary.run(["simulate", "--n", "4", "--catalog", "thesis"], in: dir.path)
        #expect(catalog.status == 1 && catalog.stderr.contains("--catalog holds files that zoorun did not write"))
        #expect(snapshot(dir.file("thesis")) == before)
    }

    @Test func theLoopRefusesAnotherCommandsRunFolder() throws {
        try #require(ZoorunBinary.isBuilt, "build zoorun first: \(ZoorunBinary.path)")
        try OutputFolder.claim(dir.file("run"), kind: .run, existing: .refuse, command: "zoorun tiny.yaml").release()
        try dir.write("run/metrics.csv", text: "epoch\n")
        let r = try ZoorunBinary.run(["loop", "tiny.yaml", "--out", "run"], in: dir.path)
        #expect(r.status == 1 && r.stderr.contains("run: error: holds a zoorun run (zoorun tiny.yaml, "))
    }
}
