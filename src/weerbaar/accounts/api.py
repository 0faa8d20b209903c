from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import User
from .otp import has_confirmed_device
from .roles import perms_for


class CurrentUserSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organisation = serializers.CharField(source="organisation_name", read_only=True)
    municipality: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    permissions = serializers.SerializerMethodField()
    second_factor = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "role_label",
            "organisation",
            "municipality",
            "permissions",
            "second_factor",
        ]

    def get_permissions(self, user: User) -> list[str]:
        return sorted(str(p) for p in perms_for(user.role))

    def get_second_factor(self, user: User) -> bool:
        return has_confirmed_device(user)


class CurrentUserView(APIView):
    """Het account waarmee u bent ingelogd, met rol en rechten."""

    @extend_schema(responses=CurrentUserSerializer)
    def get(self, request: Request) -> Response:
        return Response(CurrentUserSerializer(request.user).data)
