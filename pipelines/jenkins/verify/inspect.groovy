// Parses Groovy files without running them (one JVM for all) and reports, per file, whether
// it compiled, every GString it contains, and the constant arguments of selected calls.
// Usage: groovy inspect.groovy FILE... ; prints one JSON document on stdout.
import groovy.json.JsonOutput
import org.codehaus.groovy.ast.CodeVisitorSupport
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.GStringExpression
import org.codehaus.groovy.ast.expr.MapExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases

final Set<String> WATCHED = ['sh', 'stringParam', 'choiceParam', 'script', 'error', 'label', 'lock', 'input'] as Set

class Inspector extends CodeVisitorSupport {
    Set<String> watched
    List<String> gstrings = []
    Map<String, List> calls = [:]

    void visitGStringExpression(GStringExpression e) {
        gstrings << e.text
        super.visitGStringExpression(e)
    }

    void visitMethodCallExpression(MethodCallExpression call) {
        String name = call.methodAsString
        if (name in watched) {
            List args = []
            def arguments = call.arguments
            List exprs = arguments instanceof TupleExpression ? arguments.expressions : [arguments]
            exprs.each { expr ->
                if (expr instanceof MapExpression) {
                    Map named = [:]
                    expr.mapEntryExpressions.each { entry ->
                        named[entry.keyExpression.text] = describe(entry.valueExpression)
                    }
                    args << named
                } else {
                    args << describe(expr)
                }
            }
            calls.get(name, []) << args
        }
        super.visitMethodCallExpression(call)
    }

    static Object describe(expr) {
        if (expr instanceof ConstantExpression) {
            return [constant: expr.value]
        }
        return [expression: expr.getClass().simpleName, text: expr.text]
    }
}

List results = []
args.each { String path ->
    Map result = [file: path, ok: true]
    try {
        CompilationUnit unit = new CompilationUnit(new CompilerConfiguration())
        unit.addSource(new File(path))
        unit.compile(Phases.SEMANTIC_ANALYSIS)
        Inspector inspector = new Inspector(watched: WATCHED)
        // A script's statements are the body of its run() method, so the classes hold everything.
        unit.AST.modules.each { module ->
            module.classes.each { cls ->
                cls.methods.each { method -> method.code?.visit(inspector) }
            }
        }
        result.gstrings = inspector.gstrings
        result.calls = inspector.calls
    } catch (Exception e) {
        result.ok = false
        result.error = e.message
    }
    results << result
}
println JsonOutput.toJson(results)
