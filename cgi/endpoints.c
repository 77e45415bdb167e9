#include "endpoints.h"

static const ts_endpoint endpoints[EP__COUNT] = {
    [EP_SEARCH] = {"/api/search",
		   TS_BIT(P_Q) | TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) |
		       TS_BIT(P_STATUS) | TS_BIT(P_RESP) | TS_BIT(P_LIMIT) |
		       TS_BIT(P_OFFSET) | TS_BIT(P_LANG),
		   TS_BIT(P_Q),
		   "Search the measures, certificates, subprocessors and "
		   "pages",
		   "search", 1, 0},
    [EP_EXPORT] = {"/api/export",
		   TS_BIT(P_Q) | TS_BIT(P_PRODUCT) | TS_BIT(P_CATEGORY) |
		       TS_BIT(P_STATUS) | TS_BIT(P_RESP) | TS_BIT(P_FORMAT) |
		       TS_BIT(P_LANG),
		   0, "Download the data set, filtered", "tom", 0, 0},
    [EP_CHANGES] = {"/api/changes",
		    TS_BIT(P_SINCE) | TS_BIT(P_PRODUCT) | TS_BIT(P_LANG),
		    TS_BIT(P_SINCE), "Changes since a release", "changes", 1,
		    0},
    [EP_HEALTH] = {"/api/health", 0, 0, "Is the service up, with which data",
		   "health", 0, 0},
    [EP_OPENAPI] = {"/api/openapi.json", 0, 0, "This description of the API",
		    NULL, 0, 0},
    [EP_ANNEX] = {"/api/annex", 0, 0,
		  "A customer's DPA annex (Appendix 2) as a PDF, made from a "
		  "form",
		  NULL, 1, 1},
};

const ts_endpoint *ts_endpoints(size_t *n)
{
	*n = EP__COUNT;
	return endpoints;
}
