import Foundation
import Yams

/// Reading and writing trees as YAML, so users can add GZ2, HSC or Euclid trees:
///
/// ```yaml
/// name: gz-decals
/// questions:
///   - name: smooth-or-featured
///     answers: [smooth, featured-or-disk, artifact]
///   - name: disk-edge-on
///     answers: ["yes", "no"]
///     asked_after: smooth-or-featured_featured-or-disk
/// ```
///
/// Unknown keys are rejected (a misspelt `asked_after` must not silently make a root), and
/// every error names the file, line, column and question.
extension DecisionTree {
    /// Largest tree file read; real trees are a few kilobytes.
    static let maximumYAMLBytes = 1 << 20

    /// Loads and validates a tree from a YAML file.
    public static func load(yamlPath path: String) throws -> DecisionTree {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maximumYAMLBytes {
            throw DecisionTreeError(file: path, message: "file is \(size) bytes; a decision tree is at most \(maximumYAMLBytes)")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DecisionTreeError(file: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try decode(yaml: text, file: path)
    }

    /// Decodes and validates a tree from YAML text; `file` names it in errors.
    public static func decode(yaml text: String, file: String = "<yaml>") throws -> DecisionTree {
        let root: Node
        do {
            try ConfigLimits.check(text, file: file)
            guard let node = try Yams.compose(yaml: text) else {
                throw DecisionTreeError(file: file, message: "the file is empty")
            }
            root = node
        } catch let error as DecisionTreeError {
            throw error
        } catch let error as ConfigError {
            throw DecisionTreeError(file: file, line: error.line, column: error.column, message: error.message)
        } catch {
            throw DecisionTreeError(file: file, message: "not valid YAML: \(error)")
        }
        try rejectUnknownKeys(root, file: file)

        let tree: DecisionTree
        do {
            tree = try YAMLDecoder().decode(DecisionTree.self, from: text)
        } catch let error as DecodingError {
            throw decodingError(error, root: root, file: file)
        }
        if let problem = tree.firstProblem() {
            let mark = problem.question.flatMap { root["questions"]?.sequence?[$0].mark } ?? root.mark
            throw DecisionTreeError(file: file, line: mark?.line, column: mark?.column,
                                    question: problem.question.map { tree.questions[$0].name }, message: problem.message)
        }
        return tree
    }

    /// The tree as YAML that `decode(yaml:)` reads back to an equal tree.
    public func yaml() throws -> String {
        try YAMLEncoder().encode(self)
    }

    private static func rejectUnknownKeys(_ root: Node, file: String) throws {
        func check(_ node: Node, allowed: [String], what: String, question: String?) throws {
            guard let mapping = node.mapping else {
                throw DecisionTreeError(file: file, line: node.mark?.line, column: node.mark?.column, question: question,
                                        message: "\(what) must be a mapping with keys \(allowed.joined(separator: ", "))")
            }
            for (key, _) in mapping {
                let name = key.string ?? "\(key)"
                if !allowed.contains(name) {
                    throw DecisionTreeError(file: file, line: key.mark?.line, column: key.mark?.column, question: question,
                                            message: "unknown key '\(name)' (expected one of: \(allowed.joined(separator: ", ")))")
                }
            }
        }
        try check(root, allowed: CodingKeys.allCases.map(\.stringValue), what: "the tree", question: nil)
        guard let questions = root["questions"]?.sequence else { return }
        for node in questions {
            try check(node, allowed: Question.CodingKeys.allCases.map(\.stringValue), what: "a question",
                      question: node["name"]?.string)
        }
    }

    /// Maps a decoding error's coding path back to the YAML node it points at.
    private static func decodingError(_ error: DecodingError, root: Node, file: String) -> DecisionTreeError {
        let (path, message): ([CodingKey], String) = {
            switch error {
            case let .keyNotFound(key, context):
                return (context.codingPath, "missing key '\(key.stringValue)'")
            case let .typeMismatch(type, context):
                return (context.codingPath, "expected \(type): \(context.debugDescription)")
            case let .valueNotFound(type, context):
                return (context.codingPath, "expected \(type), found nothing")
            case let .dataCorrupted(context):
                return (context.codingPath, context.debugDescription)
            @unknown default:
                return ([], "\(error)")
            }
        }()
        var node: Node? = root
        var question: String?
        for key in path {
            if let index = key.intValue { node = node?.sequence.flatMap { index < $0.count ? $0[index] : nil } } else { node = node?[key.stringValue] }
            if path.first?.stringValue == "questions", key.intValue != nil { question = node?["name"]?.string }
        }
        let mark = node?.mark ?? root.mark
        let keys = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return DecisionTreeError(file: file, line: mark?.line, column: mark?.column, question: question,
                                 message: keys.isEmpty ? message : "'\(keys.dropFirst())': \(message)")
    }
}
