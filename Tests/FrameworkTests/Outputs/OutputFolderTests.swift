import TestSupport
import Foundation
import Testing
@testable import Framework

/// Every file under `folder` (relative path → bytes), to show a refused command left it as
/// it was.
func snapshot(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    let e = FileManager.default.enumerator(atPath: folder)
    while let name = e?.nextObject() as? String {
        if let data = FileManager.default.contents(atPath: "\(folder)/\(name)") { files[name] = data }
    }
    return files
}

@Suite("Output folders: markers, locks, refusals")
struct OutputFolderTests {
    let dir: TemporaryFolder
    init() throws { dir = try TemporaryFolder("zoorun-outputs") }

    @Test func aNewFolderIsMarkedAndLockedAgainstASecondClaim() throws {
        let run = dir.file("runs/a")
        let claim = try OutputFolder.claim(run, kind: .run, existing: .refuse, command: "zoorun a.yaml")
        let marker = try String(contentsOfFile: "\(run)/\(OutputFolder.markerName)", encoding: .utf8)
        #expect(OutputFolder.fields(marker)["kind"] == "run" && OutputFolder.fields(marker)["command"] == "zoorun a.yaml")
        // A second open of the lock file is refused even in this process: flock locks belong
        // to the open file, not the process.
        #expect { try OutputFolder.claim(run, kind: .run, existing: .resume) } throws: { e in
            guard case let .locked(folder, _, holder) = e as? OutputError else { return false }
            return folder == run && holder["pid"] == "\(ProcessInfo.processInfo.processIdentifier)"
                && holder["command"] == "zoorun a.yaml" && holder["started"] != nil
        }
        try dir.write("runs/a/metrics.csv", text: "epoch\n")
        claim.release()
        #expect(try OutputFolder.claim(run, kind: .run, existing: .resume).continues)
    }

    @Test func theLockedErrorNamesTheHolderAndWhatToDo() {
        let e = OutputError.locked(folder: "runs/rings", option: "--out",
                                   holder: ["pid": "4821", "started": "2026-12-07T23:51:08Z", "command": "zoorun experiments/rings.yaml"])
        #expect(e.description == "runs/rings: error: in use by another zoorun (pid 4821, started 2026-12-07T23:51:08Z: "
            + "zoorun experiments/rings.yaml); wait for it to finish or stop it (kill 4821), or choose another --out")
    }

    @Test func aForeignFolderIsRefusedAndLeftUntouched() throws {
        let folder = dir.file("thesis")
        for name in ["notes.txt", "a.csv", "b.csv", "c.csv", "d.csv", "e.csv"] { try dir.write("thesis/\(name)", text: name) }
        try FileManager.default.createDirectory(atPath: "\(folder)/data", withIntermediateDirectories: true)
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let bytes = snapshot(folder)
        for existing in [OutputFolder.Existing.refuse, .resume, .overwrite] {
            #expect { try OutputFolder.claim(folder, kind: .run, existing: existing) } throws: { e in
                "\(e)" == "\(folder): error: --out holds files that zoorun did not write (a.csv, b.csv, c.csv, d.csv, data/ and 2 more); "
                    + "zoorun writes only into a new or empty folder or one it made (marked by .zoorun-run): choose another --out"
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before)
        #expect(snapshot(folder) == bytes)
    }

    @Test func aRerunIsRefusedAndTheEarlierResultsStayByteIdentical() throws {
        let run = dir.file("run")
        try OutputFolder.claim(run, kind: .run, existing: .refuse, command: "zoorun x.yaml").release()
        try dir.write("run/metrics.csv", text: "epoch,loss\n1,0.5\n")
        let bytes = snapshot(run)
        #expect { try OutputFolder.claim(run, kind: .run, existing: .refuse) } throws: { e in
            guard case let .exists(_, _, kind, earlier) = e as? OutputError else { return false }
            return kind == .run && earlier["command"] == "zoorun x.yaml"
                && "\(e)".hasPrefix("\(run): error: holds an earlier run (zoorun x.yaml, ")
                && "\(e)".hasSuffix("); pass --resume to continue it, or --overwrite to replace it (deleting its files), or choose another --out")
        }
        #expect(snapshot(run) == bytes)
    }

    @Test func overwriteDeletesTheEarlierOutputAndMarksAfresh() throws {
        let run = dir.file("run")
        try OutputFolder.claim(run, kind: .run, existing: .refuse, command: "zoorun old.yaml").release()
        try dir.write("run/checkpoints/last.safetensors", text: "old")
        let claim = try OutputFolder.claim(run, kind: .run, existing: .overwrite, command: "zoorun new.yaml --overwrite")
        #expect(!claim.continues)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run).sorted() == [OutputFolder.lockName, OutputFolder.markerName].sorted())
        let marker = try String(contentsOfFile: "\(run)/\(OutputFolder.markerName)", encoding: .utf8)
        #expect(OutputFolder.fields(marker)["command"] == "zoorun new.yaml --overwrite")
    }

    @Test func resumeContinuesOnlyTheSameKind() throws {
        let run = dir.file("run")
        try OutputFolder.claim(run, kind: .run, existing: .refuse, command: "zoorun x.yaml").release()
        try dir.write("run/metrics.csv", text: "kept")
        let bytes = snapshot(run)
        let claim = try OutputFolder.claim(run, kind: .run, existing: .resume)
        // Only the lock file changes (its new holder); the marker keeps its first command.
        let lock = OutputFolder.lockName
        #expect(claim.continues && snapshot(run).filter { $0.key != lock } == bytes.filter { $0.key != lock })
        claim.release()
        #expect { try OutputFolder.claim(run, kind: .loop, existing: .resume) } throws: { e in
            "\(e)".hasPrefix("\(run): error: holds a zoorun run (zoorun x.yaml, ") && "\(e)".contains("not a volunteer loop")
        }
    }

    @Test func foldersFromBeforeTheMarkerAreRecognisedByWhatZoorunWroteThere() throws {
        try dir.write("old-run/config.yaml", text: "name: rings\nseed: 0\ntask: {kind: finetune}\n")
        try dir.write("old-run/metrics.csv", text: "epoch\n")
        #expect(try OutputFolder.claim(dir.file("old-run"), kind: .run, existing: .resume).continues)
        try dir.write("old-loop/config.yaml", text: "name: loop\ntask: {kind: volunteer-loop}\n")
        try dir.write("old-loop/state.json", text: "{}")
        #expect(try OutputFolder.claim(dir.file("old-loop"), kind: .loop, existing: .resume).continues)
        try dir.write("someone-else/config.yaml", text: "learning_rate: 3\n")
        #expect(throws: OutputError.self) { try OutputFolder.claim(dir.file("someone-else"), kind: .run, existing: .resume) }
    }

    @Test func aLeftoverLockFileAloneCountsAsEmpty() throws {
        try dir.write("killed/\(OutputFolder.lockName)", text: "pid: 1\n")
        #expect(try !OutputFolder.claim(dir.file("killed"), kind: .catalog, existing: .refuse).continues)
    }

    /// A command that failed before writing anything leaves only the marker; its rerun (after
    /// fixing, say, the data path) starts without --overwrite.
    @Test func aFolderHoldingOnlyTheMarkerCountsAsEmpty() throws {
        try OutputFolder.claim(dir.file("failed"), kind: .run, existing: .refuse, command: "zoorun typo.yaml").release()
        let claim = try OutputFolder.claim(dir.file("failed"), kind: .run, existing: .refuse, command: "zoorun fixed.yaml")
        #expect(!claim.continues)
        let marker = try String(contentsOfFile: dir.file("failed/\(OutputFolder.markerName)"), encoding: .utf8)
        #expect(OutputFolder.fields(marker)["command"] == "zoorun fixed.yaml")
    }

    @Test func aFileWhereAFolderIsWantedIsRefused() throws {
        let file = try dir.write("plain", text: "x")
        #expect(throws: OutputError.notAFolder(path: file, option: "--catalog")) {
            try OutputFolder.claim(file, kind: .catalog, existing: .overwrite, option: "--catalog")
        }
    }

    @Test func singleFilesAreReplacedOnlyWithOverwrite() throws {
        let file = try dir.write("predictions.csv", text: "id_str\n")
        try OutputFile.check(dir.file("new.csv"), overwrite: false)
        #expect(throws: OutputError.fileExists(path: file, option: "--out")) { try OutputFile.check(file, overwrite: false) }
        try OutputFile.check(file, overwrite: true)
        #expect(throws: OutputError.isAFolder(path: dir.path, option: "--json")) { try OutputFile.check(dir.path, overwrite: true, option: "--json") }
        #expect("\(OutputError.fileExists(path: "p.csv", option: "--out"))" == "p.csv: error: --out exists; pass --overwrite to replace it, or choose another --out")
    }
}
