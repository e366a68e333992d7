import Foundation
import Testing
@testable import Framework

@Suite("HTML report")
struct HTMLReportTests {
    @Test func textIsEscapedEverywhere() {
        let evil = "<script>alert(\"x&y\")</script>"
        var r = HTMLReport(title: evil, footer: evil)
        r.addSummary(evil, evil)
        r.addSection(evil)
        r.addSection("second")
        r.addParagraph(evil)
        r.addTable(header: [evil], rows: [[evil, "0.93"]])
        r.addFigure(png: [1, 2, 3], caption: evil)
        r.addPreformatted(evil)
        let html = r.render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("alert(\""))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;"))
        #expect(HTMLReport.escape("a'b") == "a&#39;b")
    }

    @Test func figuresEmbedTheirBytesAsBase64() throws {
        let bytes = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var r = HTMLReport(title: "run")
        r.addSection("Plots")
        r.addFigure(png: bytes, caption: "loss")
        r.addFigure(png: [0x89, 0x50, 0x4E, 0x47], caption: "second")
        let html = r.render()
        let marker = "data:image/png;base64,"
        let parts = html.components(separatedBy: marker).dropFirst()
        #expect(parts.count == 2)
        let decoded = parts.map { part in Data(base64Encoded: String(part.prefix { $0 != "\"" })).map { [UInt8]($0) } }
        #expect(decoded[0] == bytes)
        #expect(decoded[1] == [0x89, 0x50, 0x4E, 0x47])
        #expect(html.contains("<b>Figure 1.</b> loss") && html.contains("<b>Figure 2.</b> second"))
    }

    @Test func structureFollowsTheCalls() {
        var r = HTMLReport(title: "rings")
        r.addSummary("accuracy", "0.934")
        r.addParagraph("before any section")
        r.addSection("Metrics")
        r.addTable(header: ["class", "recall"], rows: [["ring", "0.91"]])
        r.addSection("Config")
        r.addPreformatted("epochs: 3\n  lr: 0.001")
        let html = r.render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<tr><th>accuracy</th><td class=\"num\">0.934</td></tr>"))
        #expect(html.contains("<thead><tr><th>class</th><th>recall</th></tr></thead>"))
        #expect(html.contains("<tr><td>ring</td><td class=\"num\">0.91</td></tr>"))
        #expect(html.contains("<pre>epochs: 3\n  lr: 0.001</pre>"))
        let order = ["before any section", "<h2>Metrics</h2>", "<h2>Config</h2>"].map { html.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(html.contains("<a href=\"#section-2\">Metrics</a>"))
        #expect(html.contains("id=\"section-2\""))
        #expect(!html.contains("http://") && !html.contains("https://"), "the page must not load anything")
    }

    @Test func writeIsAtomicAndComplete() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoorun-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var r = HTMLReport(title: "t")
        r.addParagraph("p")
        let path = dir.appendingPathComponent("nested/report.html").path
        try r.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == r.render())
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("nested").path)
        #expect(leftovers == ["report.html"])
    }
}
