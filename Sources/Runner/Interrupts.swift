import ArgumentParser
import Foundation
import Framework

/// Ctrl-C handling: the first SIGINT asks the trainer to stop after saving; a second one
/// exits at once.
enum Interrupts {
    nonisolated(unsafe) static var flag: CancellationFlag?
    nonisolated(unsafe) static var count = 0

    static func install(_ cancellation: CancellationFlag) {
        flag = cancellation
        signal(SIGINT) { _ in
            Interrupts.count += 1
            if Interrupts.count > 1 { _exit(130) }
            Interrupts.flag?.set()
            let msg = "\nzoorun: interrupt received; finishing the current batch and saving (Ctrl-C again to quit now)\n"
            _ = msg.withCString { write(2, $0, strlen($0)) }
        }
    }
}

/// Exits with a message on stderr and status 1, without ArgumentParser's usage text.
enum CleanExit {
    static func failure(_ message: String) -> Error {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode(1)
    }
}
