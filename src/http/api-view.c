/*
 * /api/v1/parties/{id}/view: the 360° view of a party (domain/view.h).
 */
#include "http/api-rules.h"
#include "http/api.h"
#include "domain/party/view.h"

#include "core/banned.h"
