package dev.jgi.conformance.cases;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Capability;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.app.Protocol;
import dev.jgi.conformance.app.TestData;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import java.util.List;
import java.util.Map;

/**
 * File bodies through {@code jgi.file_wrapper} (when offered; otherwise a file-backed iterable).
 * Zero-copy itself is invisible on the wire: it is a declared capability, proven by the
 * adapter's own tests; the gated case checks what a declaring server must get right.
 */
final class FileCases {

    private FileCases() {
    }

    private static final Category C = Category.FILES;

    private static byte[] expected(long size, long pos, int count) {
        byte[] b = new byte[count];
        TestData.fill(size, pos, b, 0, count);
        return b;
    }

    /** Requests a file body; returns the response and whether the server offered jgi.file_wrapper. */
    private static Object[] file(CaseContext ctx, String mode, long size, long pos, long count, boolean declare, String method)
            throws Exception {
        Request r = ctx.to(Protocol.FILE, method, "/file").header(Protocol.ARG, mode).header(Protocol.SIZE, Long.toString(size))
                .header(Protocol.POS, pos + "," + count);
        if (declare) {
            r.header(Protocol.LENGTH, "yes");
        }
        Response resp = ctx.send(r);
        ctx.status(resp, 200, "file " + size + " [" + pos + ", +" + count + ")");
        boolean wrapped = CaseContext.hasEvent(ctx.journal(CaseContext.idOf(r)), "jgi.file_wrapper offered");
        return new Object[] {resp, wrapped};
    }

    private static void whole(CaseContext ctx, String mode, long size, long pos, int count, boolean declare) throws Exception {
        Object[] got = file(ctx, mode, size, pos, count, declare, "GET");
        Response r = (Response) got[0];
        String what = "file of " + size + " bytes, region [" + pos + ", +" + count + ")" + (declare ? " with Content-Length" : "");
        if (declare || (Boolean) got[1] || count == 0) {
            // a declared length is used; an undeclared one is the region's count ([file.region])
            ctx.expectEqual(Integer.toString(count), r.header("Content-Length"), what + ": Content-Length");
        }
        ctx.expect(r.complete(), what + ": incomplete body: " + r.problem());
        ctx.expect(java.util.Arrays.equals(expected(size, pos, count), r.body()), what + ": the body differs (" + r.body().length + " bytes)");
    }

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "files.file-body", "a file body (jgi.file_wrapper if offered) arrives byte-exact with its Content-Length")
                .rules("file.region", "file.iterable", "file.close", "response.content-length-computed").sources("P7", "P8", "P26", "B6")
                .check(ctx -> {
                    whole(ctx, "wrapper", 2898, 0, 2898, true);
                    whole(ctx, "wrapper", 14750, 0, 14750, false);
                }),

            ConformanceCase.of(C, "files.file-path", "a file body made by wrap(Path) (jgi.file_wrapper if offered) arrives byte-exact with the file's length")
                .rules("file.region", "file.close", "response.content-length-computed").sources("P7", "B6")
                .check(ctx -> {
                    whole(ctx, "path", 300_000, 0, 300_000, false);
                    whole(ctx, "path", 70_000, 0, 70_000, true);
                    Object[] got = file(ctx, "path", 20_000, 0, 20_000, false, "HEAD");
                    if ((Boolean) got[1]) {
                        ctx.equal("20000", ((Response) got[0]).header("Content-Length"), "HEAD: Content-Length of the file");
                    }
                }),

            ConformanceCase.of(C, "files.file-region", "a region of a file (position, count) arrives byte-exact")
                .rules("file.region", "file.iterable").sources("S zeroCopy", "B6")
                .check(ctx -> {
                    whole(ctx, "wrapper", 200_000, 1000, 50_000, false);
                    whole(ctx, "wrapper", 200_000, 199_000, 1000, true);
                    whole(ctx, "wrapper", 1000, 1000, 0, false);
                }),

            ConformanceCase.of(C, "files.head", "HEAD of a file body sends its Content-Length and no bytes")
                .rules("file.region", "response.head").sources("gap")
                .check(ctx -> {
                    Object[] got = file(ctx, "wrapper", 20_000, 0, 20_000, false, "HEAD");
                    Response r = (Response) got[0];
                    if ((Boolean) got[1]) {
                        ctx.equal("20000", r.header("Content-Length"), "Content-Length of the file region");
                    }
                }),

            ConformanceCase.of(C, "files.zero-copy", "with file-wrapper-zero-copy: jgi.file_wrapper is offered and large regions arrive exact")
                .rules("file.region", "file.close").sources("S zeroCopy", "B6").requires(Capability.FILE_WRAPPER_ZERO_COPY)
                .check(ctx -> {
                    Request r = ctx.env("/wrapper");
                    Map<String, Object> env = ctx.environOf(r);
                    ctx.check("<FileWrapper>".equals(env.get("jgi.file_wrapper")), "jgi.file_wrapper is not offered: " + env.get("jgi.file_wrapper"));
                    whole(ctx, "require-wrapper", 4 << 20, 12345, 3 << 20, false);
                    whole(ctx, "require-wrapper", 4 << 20, 0, 4 << 20, true);
                }));
    }
}
