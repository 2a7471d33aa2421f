#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// With ICU enabled, encoding.h includes <unicode/ucnv.h>, whose UErrorCode clashes with the ICU copy that
// Foundation imports ("redefinition of UErrorCode"). Nothing here needs libxml2's ICU declarations.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlschemastypes.h>
#include <libxml/globals.h>

// Swift can neither define nor import C variadic function types such as xmlGenericErrorFunc, and the
// per-thread handler globals are macros Swift does not import; these helpers bridge both.

/// Initialises libxml2's global state; call once, before any other libxml2 function.
///
/// Before 2.11, xmlInitParser leaves out the XML Schema type library, which libxml2 then builds lazily and
/// without a lock on the first schema compilation, so concurrent first compilations race. This helper keeps
/// Swift clear of xmlSchemaInitTypes, whose return type changed from void to int.
static inline void CLibXML2_initialize(void) {
  xmlInitParser();
  xmlSchemaInitTypes();
}

/// A generic error handler that discards the message.
static inline void CLibXML2_ignoreGenericError(void *context, const char *message, ...) {
  (void)context;
  (void)message;
}

/// The calling thread's generic error handler, as an opaque pointer to save and restore.
static inline void *CLibXML2_genericErrorHandler(void) { return (void *)xmlGenericError; }

/// The calling thread's generic error context.
static inline void *CLibXML2_genericErrorContext(void) { return xmlGenericErrorContext; }

/// Restores a generic error handler saved with CLibXML2_genericErrorHandler.
static inline void CLibXML2_setGenericErrorHandler(void *context, void *handler) {
  xmlSetGenericErrorFunc(context, (xmlGenericErrorFunc)handler);
}

/// Makes the calling thread's generic error handler discard messages instead of printing to stderr.
static inline void CLibXML2_silenceGenericErrors(void) {
  xmlSetGenericErrorFunc(NULL, CLibXML2_ignoreGenericError);
}

/// The calling thread's structured error handler.
static inline xmlStructuredErrorFunc CLibXML2_structuredErrorHandler(void) { return xmlStructuredError; }

/// The calling thread's structured error context.
static inline void *CLibXML2_structuredErrorContext(void) { return xmlStructuredErrorContext; }

#endif
