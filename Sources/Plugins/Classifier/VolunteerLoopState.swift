import Foundation
import Framework

/// `state.json` of a loop folder: the round, the accepted model and its validation metric,
/// and every accept/reject decision with its reason. Rewritten atomically after each step.
public struct VolunteerLoopState: Codable, Equatable {
    /// One retraining's outcome.
    public struct Decision: Codable, Equatable {
        /// The round the candidate would have started.
        public var round: Int
        public var labels: Int
        public var candidate: Double
        public var previous: Double
        public var accepted: Bool
        public var reason: String
    }

    /// Rounds completed so far: predictions and the queue of round `round` come from `model`.
    public var round: Int
    /// The accepted model's checkpoint, relative to the loop folder.
    public var model: String
    public var metric: String
    /// The accepted model's value of `metric` on the fixed validation set.
    public var value: Double
    /// Journal lines the latest retraining used; more lines in the journal mean a retraining is due.
    public var journalLines: Int
    public var decisions: [Decision]

    enum CodingKeys: String, CodingKey {
        case round, model, metric, value, decisions
        case journalLines = "journal_lines"
    }

    /// Reads `path`, or nil when the loop has not started.
    public static func load(_ path: String) throws -> VolunteerLoopState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(VolunteerLoopState.self, from: Data(try FileIO.read(path)))
        } catch let e as ConfigError {
            throw e
        } catch {
            throw ConfigError(file: path, message: "the loop state is not readable: \(error)")
        }
    }

    public func save(_ path: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically(String(decoding: try e.encode(self), as: UTF8.self) + "\n", to: path)
    }
}
