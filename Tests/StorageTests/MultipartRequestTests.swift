import Foundation
import Storage
import Testing

/// The multipart and ranged requests, built without a server: where each dialect puts its precondition.
@Suite("Multipart request building")
struct MultipartRequestTests {
    func builder(_ dialect: S3Configuration.Dialect) -> S3RequestBuilder {
        S3RequestBuilder(
            configuration: S3Configuration(
                bucket: "bucket", keyPrefix: "p", endpoint: URL(string: "http://127.0.0.1:9000")!, dialect: dialect))
    }

    @Test("S3 checks create-only on completion; GCS is asked on both the initiating and the completing request")
    func preconditionPlacement() {
        let s3 = builder(.s3)
        let create = s3.createMultipartUpload("m/model.bin", precondition: .ifNoneMatch)
        #expect(create.method == "POST")
        #expect(create.encodedQuery == "uploads=")
        #expect(create.header("If-None-Match") == nil)
        let complete = s3.completeMultipartUpload(
            "m/model.bin", uploadId: "u/1", parts: [(1, "\"a\""), (2, "\"b\"")], precondition: .ifNoneMatch)
        #expect(complete.method == "POST")
        #expect(complete.header("If-None-Match") == "*")
        #expect(complete.encodedQuery == "uploadId=u%2F1")
        #expect(
            String(decoding: complete.body, as: UTF8.self)
                == "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;a&quot;</ETag></Part>"
                + "<Part><PartNumber>2</PartNumber><ETag>&quot;b&quot;</ETag></Part></CompleteMultipartUpload>")

        let gcs = builder(.gcs)
        #expect(
            gcs.createMultipartUpload("m/model.bin", precondition: .ifNoneMatch).header("x-goog-if-generation-match")
                == "0")
        #expect(
            gcs.completeMultipartUpload("m/model.bin", uploadId: "u", parts: [], precondition: .ifNoneMatch)
                .header("x-goog-if-generation-match") == "0")
    }

    @Test("parts, aborts, listings and ranged reads")
    func otherRequests() {
        let s3 = builder(.s3)
        let part = s3.uploadPart("m/model.bin", uploadId: "u", partNumber: 3, data: Data([1, 2]))
        #expect(part.method == "PUT")
        #expect(part.encodedQuery == "partNumber=3&uploadId=u")
        #expect(part.body == Data([1, 2]))
        let abort = s3.abortMultipartUpload("m/model.bin", uploadId: "u")
        #expect(abort.method == "DELETE")
        #expect(abort.encodedPath == "/bucket/p/m/model.bin")
        #expect(s3.listMultipartUploads(prefix: "m/").encodedQuery == "prefix=p%2Fm%2F&uploads=")
        let range = s3.get("m/model.bin", range: 10..<20, ifMatch: "\"e\"")
        #expect(range.header("Range") == "bytes=10-19")
        #expect(range.header("If-Match") == "\"e\"")
    }
}
