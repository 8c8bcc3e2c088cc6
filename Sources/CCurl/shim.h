#ifndef KOKEMUS_CCURL_SHIM_H
#define KOKEMUS_CCURL_SHIM_H

// Swift cannot call C variadic functions, so every curl_easy_setopt and
// curl_easy_getinfo call goes through one of these typed wrappers. Each one
// passes the exact C type libcurl reads for that kind of option.

#include <curl/curl.h>

static inline CURLcode kokemus_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kokemus_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kokemus_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kokemus_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kokemus_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*kokemus_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef int (*kokemus_curl_progress_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                              curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode kokemus_curl_setopt_data_callback(CURL *handle, CURLoption option,
                                                         kokemus_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode kokemus_curl_setopt_progress_callback(CURL *handle,
                                                             kokemus_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode kokemus_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode kokemus_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode kokemus_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode kokemus_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

// The socket of a connection made with CURLOPT_CONNECT_ONLY, to wait on with poll().
static inline CURLcode kokemus_curl_getinfo_socket(CURL *handle, curl_socket_t *value) {
    return curl_easy_getinfo(handle, CURLINFO_ACTIVESOCKET, value);
}

// CURL_GLOBAL_ALL is a macro expression Swift does not import.
static inline CURLcode kokemus_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

#endif
