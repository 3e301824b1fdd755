import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// One page of a ListObjectsV2 answer, with keys as the server sent them (bucket key prefix included).
struct S3ListPage: Sendable {
    struct Entry: Sendable {
        var key: String
        var size: Int
        var etag: String
        var generation: String?
        var lastModified: Date?
    }
    var entries: [Entry]
    var isTruncated: Bool
    var nextContinuationToken: String?
}

/// An S3/GCS XML error document: `<Error><Code>NoSuchBucket</Code><Message>…</Message></Error>`.
struct S3ErrorDocument: Sendable {
    var code: String
    var message: String
}

/// Parses the few S3 XML documents the store needs with Foundation's `XMLParser`.
///
/// The parser only collects the text of leaf elements along a path, which is all these flat documents need.
enum S3XML {
    static func parseListPage(_ data: Data) throws(StorageError) -> S3ListPage {
        let collector = ElementCollector()
        try collector.parse(data)
        guard collector.rootName == "ListBucketResult" else {
            throw .malformedResponse("expected a ListBucketResult document, got <\(collector.rootName ?? "nothing")>")
        }
        var entries: [S3ListPage.Entry] = []
        for fields in collector.records where fields.path == "Contents" {
            guard let key = fields.values["Key"] else { throw .malformedResponse("a listing entry has no <Key>") }
            entries.append(
                S3ListPage.Entry(
                    key: key,
                    size: Int(fields.values["Size"] ?? "") ?? 0,
                    etag: fields.values["ETag"] ?? "",
                    generation: fields.values["Generation"],
                    lastModified: fields.values["LastModified"].flatMap(parseDate)
                )
            )
        }
        let top = collector.topLevel
        let token = top["NextContinuationToken"].flatMap { $0.isEmpty ? nil : $0 }
        return S3ListPage(entries: entries, isTruncated: top["IsTruncated"] == "true", nextContinuationToken: token)
    }

    /// The error code and message, or `nil` when the body is not an S3 error document (HEAD answers have none).
    static func parseError(_ data: Data) -> S3ErrorDocument? {
        guard !data.isEmpty else { return nil }
        let collector = ElementCollector()
        guard (try? collector.parse(data)) != nil, collector.rootName == "Error" else { return nil }
        return S3ErrorDocument(code: collector.topLevel["Code"] ?? "", message: collector.topLevel["Message"] ?? "")
    }

    /// The `UploadId` of an InitiateMultipartUploadResult.
    static func parseUploadId(_ data: Data) throws(StorageError) -> String {
        let collector = ElementCollector()
        try collector.parse(data)
        guard collector.rootName == "InitiateMultipartUploadResult", let id = collector.topLevel["UploadId"],
            !id.isEmpty
        else {
            throw .malformedResponse("expected an InitiateMultipartUploadResult with an UploadId")
        }
        return id
    }

    /// The uploads of a ListMultipartUploadsResult as `(key, uploadId)`, keys as the server sent them.
    static func parseUploads(_ data: Data) throws(StorageError) -> [(key: String, uploadId: String)] {
        let collector = ElementCollector()
        try collector.parse(data)
        guard collector.rootName == "ListMultipartUploadsResult" else {
            throw .malformedResponse("expected a ListMultipartUploadsResult, got <\(collector.rootName ?? "nothing")>")
        }
        return collector.records.filter { $0.path == "Upload" }.compactMap { record in
            guard let key = record.values["Key"], let id = record.values["UploadId"] else { return nil }
            return (key, id)
        }
    }

    /// Escapes text for an XML element body (ETags are quoted strings).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The root element's name, or `nil` when the body is empty or not XML (CompleteMultipartUpload can answer
    /// 200 with an `<Error>` document, which must not count as success).
    static func rootName(_ data: Data) -> String? {
        guard !data.isEmpty else { return nil }
        let collector = ElementCollector()
        guard (try? collector.parse(data)) != nil else { return nil }
        return collector.rootName
    }

    /// S3 writes `2025-01-02T03:04:05.000Z`; some servers omit the fraction.
    static func parseDate(_ text: String) -> Date? {
        let strategies: [Date.ISO8601FormatStyle] = [
            Date.ISO8601FormatStyle(includingFractionalSeconds: true),
            Date.ISO8601FormatStyle(),
        ]
        for style in strategies {
            if let date = try? style.parse(text) { return date }
        }
        return nil
    }
}

/// Collects leaf text under the root (`topLevel`) and under each direct child of the root that has children
/// (`records`, e.g. every `<Contents>`).
private final class ElementCollector: NSObject, XMLParserDelegate {
    struct Record {
        var path: String
        var values: [String: String] = [:]
    }
    var rootName: String?
    var topLevel: [String: String] = [:]
    var records: [Record] = []
    private var stack: [String] = []
    private var text = ""
    private var current: Record?

    func parse(_ data: Data) throws(StorageError) {
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0)" } ?? "unknown error"
            throw .malformedResponse(
                "unparseable XML (\(reason)): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        if rootName == nil { rootName = elementName }
        stack.append(elementName)
        if stack.count == 2 { current = Record(path: elementName) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        switch stack.count {
        case 2:
            if let record = current, !record.values.isEmpty {
                records.append(record)
            } else {
                topLevel[elementName] = text
            }
            current = nil
        case 3:
            current?.values[elementName] = text
        default:
            break
        }
        stack.removeLast()
        text = ""
    }
}
