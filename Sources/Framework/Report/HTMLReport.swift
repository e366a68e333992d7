import Foundation

/// A run report as one self-contained HTML page: title, key/value summary, then sections of
/// paragraphs, tables, preformatted text and figures. Figures are PNG bytes embedded as
/// base64 data URIs, so the page needs no other file; every piece of text is HTML-escaped.
///
///     var report = HTMLReport(title: "rings-finetune")
///     report.addSummary("test accuracy", "0.934")
///     report.addSection("Learning curves")
///     report.addFigure(png: pngBytes, caption: "Loss per epoch, mean ± std over 5 seeds")
///     try report.write(to: "runs/rings/report.html")
public struct HTMLReport: Sendable {
    /// One element of a section.
    public enum Block: Sendable, Equatable {
        case paragraph(String)
        /// A header row and body rows; cells that read as numbers are right-aligned.
        case table(header: [String], rows: [[String]])
        /// An encoded PNG shown with a caption; `alt` defaults to the caption.
        case figure(png: [UInt8], caption: String, alt: String?)
        /// Monospaced text kept as is, e.g. the run's config.
        case preformatted(String)
    }

    /// A heading and what follows it.
    public struct Section: Sendable, Equatable {
        public var heading: String
        public var blocks: [Block]

        public init(heading: String, blocks: [Block] = []) {
            self.heading = heading
            self.blocks = blocks
        }
    }

    public var title: String
    /// Shown as a two-column table under the title.
    public var summary: [(key: String, value: String)]
    public var sections: [Section]
    /// Small print at the bottom (e.g. the zoorun version and the command).
    public var footer: String?

    public init(title: String, summary: [(key: String, value: String)] = [], sections: [Section] = [], footer: String? = nil) {
        self.title = title
        self.summary = summary
        self.sections = sections
        self.footer = footer
    }

    // MARK: - Building

    public mutating func addSummary(_ key: String, _ value: String) {
        summary.append((key, value))
    }

    /// Starts a new section; later blocks go into it.
    public mutating func addSection(_ heading: String) {
        sections.append(Section(heading: heading))
    }

    public mutating func addParagraph(_ text: String) { append(.paragraph(text)) }

    public mutating func addTable(header: [String], rows: [[String]]) { append(.table(header: header, rows: rows)) }

    public mutating func addFigure(png: [UInt8], caption: String, alt: String? = nil) {
        append(.figure(png: png, caption: caption, alt: alt))
    }

    public mutating func addPreformatted(_ text: String) { append(.preformatted(text)) }

    /// Adds to the last section, opening an untitled one if there is none yet.
    private mutating func append(_ block: Block) {
        if sections.isEmpty { sections.append(Section(heading: "")) }
        sections[sections.count - 1].blocks.append(block)
    }

    // MARK: - Output

    /// The complete page.
    public func render() -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <main>
        <h1>\(Self.escape(title))</h1>

        """
        if !summary.isEmpty {
            html += "<table class=\"summary\">\n"
            for (key, value) in summary {
                html += "<tr><th>\(Self.escape(key))</th><td\(Self.numericClass(value))>\(Self.escape(value))</td></tr>\n"
            }
            html += "</table>\n"
        }
        let titled = sections.enumerated().filter { !$0.element.heading.isEmpty }
        if titled.count > 1 {
            html += "<nav><ul>\n"
            for (i, s) in titled { html += "<li><a href=\"#section-\(i + 1)\">\(Self.escape(s.heading))</a></li>\n" }
            html += "</ul></nav>\n"
        }
        var figureNumber = 0
        for (i, section) in sections.enumerated() {
            html += "<section id=\"section-\(i + 1)\">\n"
            if !section.heading.isEmpty { html += "<h2>\(Self.escape(section.heading))</h2>\n" }
            for block in section.blocks {
                switch block {
                case let .paragraph(text):
                    html += "<p>\(Self.escape(text))</p>\n"
                case let .table(header, rows):
                    html += Self.table(header: header, rows: rows)
                case let .figure(png, caption, alt):
                    figureNumber += 1
                    html += "<figure><img src=\"data:image/png;base64,\(Data(png).base64EncodedString())\" alt=\"\(Self.escape(alt ?? caption))\">"
                    html += "<figcaption><b>Figure \(figureNumber).</b> \(Self.escape(caption))</figcaption></figure>\n"
                case let .preformatted(text):
                    html += "<pre>\(Self.escape(text))</pre>\n"
                }
            }
            html += "</section>\n"
        }
        if let footer { html += "<footer>\(Self.escape(footer))</footer>\n" }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    /// Writes the page atomically (temporary file, then rename), creating folders as needed.
    public func write(to path: String) throws {
        try AtomicFile.write(render(), to: path)
    }

    /// Text made safe for HTML element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private static func table(header: [String], rows: [[String]]) -> String {
        var html = "<table class=\"data\">\n"
        if !header.isEmpty {
            html += "<thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n"
        }
        html += "<tbody>\n"
        for row in rows {
            html += "<tr>" + row.map { "<td\(numericClass($0))>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// ` class="num"` for cells that read as a number (right-aligned, tabular digits).
    private static func numericClass(_ cell: String) -> String {
        let t = cell.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
        return !t.isEmpty && Double(t) != nil ? " class=\"num\"" : ""
    }

    private static let css = """
    body{margin:0;background:#f6f7f9;color:#1d2329;font:15px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}\
    main{max-width:960px;margin:0 auto;padding:24px 32px 48px;background:#fff;min-height:100vh;box-sizing:border-box}\
    h1{font-size:26px;margin:8px 0 16px}\
    h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid #dde1e6}\
    table{border-collapse:collapse;margin:10px 0 16px;font-size:14px}\
    th,td{padding:4px 12px;border-bottom:1px solid #e6e9ed;text-align:left;vertical-align:top}\
    thead th{border-bottom:2px solid #b9c0c8;background:#f3f5f7}\
    table.summary th{font-weight:600;color:#4a545e;background:none}\
    td.num{text-align:right;font-variant-numeric:tabular-nums}\
    figure{margin:16px 0 24px}\
    img{max-width:100%;height:auto;border:1px solid #e6e9ed;image-rendering:auto}\
    figcaption{font-size:13px;color:#4a545e;margin-top:6px}\
    pre{background:#f3f5f7;padding:10px 12px;overflow-x:auto;font-size:13px;border-radius:4px}\
    nav ul{list-style:none;padding:0;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:14px}\
    a{color:#0b62a4;text-decoration:none}\
    footer{margin-top:40px;font-size:12px;color:#6b747d}
    """
}
