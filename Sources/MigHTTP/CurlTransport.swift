internal import CCurl
import Foundation

/// A failure below HTTP: no connection, a reset, a timeout, a refused redirect.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Worth another try: the connection failed or broke before a whole response came.
        case connection
        /// The connect or total timeout fired.
        case timeout
        /// A redirect to another host, or too many redirects.
        case redirect
        /// Anything else curl refused (bad URL, TLS verification, …).
        case other
    }

    public let kind: Kind
    /// What went wrong, in curl's words, with the method and the URL without its query.
    public let message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// Sends one request and returns the response, or throws `HTTPError`.
public protocol HTTPTransport {
    func perform(_ request: HTTPRequest, timeouts: HTTPTimeouts) throws(HTTPError) -> HTTPResponse
}

/// Bounds for one request.
public struct HTTPTimeouts: Sendable {
    /// Seconds allowed to open the connection (TCP and TLS).
    public var connect: Double
    /// Seconds allowed for the whole request, connection included.
    public var total: Double

    public init(connect: Double = 10, total: Double = 30) {
        self.connect = connect
        self.total = total
    }
}

/// The libcurl transport: one easy handle, reused so connections are kept alive between the
/// requests of one run. TLS peers and host names are always verified; proxies come from the
/// usual `https_proxy`/`http_proxy`/`no_proxy` variables, which libcurl reads itself.
public final class CurlTransport: HTTPTransport {
    private let handle: UnsafeMutableRawPointer

    public init() throws(HTTPError) {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else {
            throw HTTPError(kind: .other, message: "libcurl could not create a handle")
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// `curl_global_init` is not thread-safe; a static let runs it once.
    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    public func perform(_ request: HTTPRequest, timeouts: HTTPTimeouts) throws(HTTPError) -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = ResponseSink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // curl would otherwise wait for a `100 Continue` on larger bodies.
        headerList = curl_slist_append(headerList, "Expect:")

        let code: CURLcode = withExtendedLifetime(sink) {
            errorBuffer.withUnsafeMutableBufferPointer { buffer in
                let setup = [
                    migledger_curl_setopt_string(handle, CURLOPT_URL, request.url.absoluteString),
                    migledger_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
                    migledger_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
                    migledger_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
                    migledger_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
                    migledger_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
                    migledger_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(timeouts.connect * 1000)),
                    migledger_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeouts.total * 1000)),
                    migledger_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""),
                    migledger_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList),
                    migledger_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(buffer.baseAddress)),
                    migledger_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
                        guard let data, let context else { return 0 }
                        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                        sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
                        return size * count
                    }),
                    migledger_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context),
                    migledger_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
                        guard let data, let context else { return 0 }
                        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                        sink.headerLine(Array(UnsafeRawBufferPointer(start: data, count: size * count)))
                        return size * count
                    }),
                    migledger_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
                ] + bodyOptions(request)
                if let failed = setup.first(where: { $0 != CURLE_OK }) { return failed }
                return curl_easy_perform(handle)
            }
        }
        guard code == CURLE_OK else {
            curl_easy_reset(handle)
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw HTTPError(kind: Self.kind(of: code),
                            message: "\(request.method.rawValue) \(request.url.redactedString) failed: \(text)")
        }
        var status = 0
        _ = migledger_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        // The handle must not keep pointers to this call's buffers; the reset keeps its connections.
        curl_easy_reset(handle)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func bodyOptions(_ request: HTTPRequest) -> [CURLcode] {
        var codes = [migledger_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue)]
        if request.method == .get { codes.append(migledger_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)) }
        if let body = request.body {
            codes.append(migledger_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count))
            codes.append(body.withUnsafeBufferPointer { bytes in
                // COPYPOSTFIELDS copies, so the buffer need not outlive this call.
                migledger_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!))
            })
        } else if request.method != .get {
            codes.append(migledger_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, 0))
            codes.append(migledger_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""))
        }
        return codes
    }

    private static func kind(of code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            .connection
        default: .other
        }
    }
}

/// What the callbacks collect for one response.
private final class ResponseSink {
    var body: [UInt8] = []
    var headers: [String: String] = [:]

    /// A status line starts a new header block (after a proxy's CONNECT or an interim 1xx), so
    /// only the last block's headers are kept.
    func headerLine(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
